// The L2 agents of the network service (Neutron's agents extension and the agent RPC in small).
// A data plane agent reports its state every pass (heartbeat) for the compute hosts it serves and
// tells when a port's device is up (its tap is wired into the bridge, its filters are in place) or
// gone. A port bound to a host whose agent is alive starts DOWN and turns ACTIVE when that agent
// reports the device up; bound to a host without an agent it is ACTIVE at once (nothing would ever
// report it). Every change of a compute port's status becomes network-vif-plugged /
// network-vif-unplugged for Nova, which waits for the first before it lets a new guest run.
import { createHash } from 'node:crypto';
import type { Clock } from '../common/clock.ts';
import { inTransaction } from '../db/transaction.ts';
import { isoTime, type NetCtx } from './context.ts';
import type { Port } from './model.ts';
import { type NovaEvent, portEvent } from './nova-notifier.ts';
import { findPort, updatePort } from './repo/ports.ts';

export const LINUX_BRIDGE_AGENT = 'Linux bridge agent';

export interface AgentState {
  readonly id: string;
  readonly host: string;
  readonly agent_type: string;
  readonly binary: string;
  readonly topic: string;
  readonly started_at: Date;
  readonly created_at: Date;
  heartbeat_timestamp: Date;
  readonly configurations: Record<string, unknown>;
}

/** What an agent calls (in process: the all-in-one runs its agent beside the network service). */
export interface AgentServer {
  /** A heartbeat for `hosts`, served by one agent of `type`. */
  reportState(hosts: readonly string[], configurations?: Record<string, unknown>): void;
  /** The ports' devices are wired on `host`: bound there, they turn ACTIVE. */
  devicesUp(host: string, portIds: readonly string[]): Promise<void>;
  /** The ports' devices are gone from `host`: bound there, they turn DOWN. */
  devicesDown(host: string, portIds: readonly string[]): Promise<void>;
}

/** Agent ids are stable per host and type (a restarted agent is the same row, as in Neutron). */
const agentId = (host: string, type: string): string => {
  const h = createHash('sha1').update(`${type}/${host}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export class AgentRegistry implements AgentServer {
  readonly #clock: Clock;
  readonly #downTimeMs: number;
  readonly #agents = new Map<string, AgentState>();
  #ctx: NetCtx | undefined;

  /** downTimeS: [DEFAULT] agent_down_time, seconds without a heartbeat before an agent is dead. */
  constructor(clock: Clock, downTimeS = 75) {
    this.#clock = clock;
    this.#downTimeMs = downTimeS * 1000;
  }

  /** The network service this registry reports into (set when its app is built). */
  serve(ctx: NetCtx): void {
    this.#ctx = ctx;
  }

  reportState(hosts: readonly string[], configurations: Record<string, unknown> = {}): void {
    const now = this.#clock.now();
    for (const host of hosts) {
      const a = this.#agents.get(host);
      if (a) {
        a.heartbeat_timestamp = now;
        Object.assign(a.configurations, configurations);
        continue;
      }
      this.#agents.set(host, {
        id: agentId(host, LINUX_BRIDGE_AGENT),
        host,
        agent_type: LINUX_BRIDGE_AGENT,
        binary: 'neutron-linuxbridge-agent',
        topic: 'N/A',
        started_at: now,
        created_at: now,
        heartbeat_timestamp: now,
        configurations: { ...configurations },
      });
    }
  }

  alive(a: AgentState): boolean {
    return this.#clock.now().getTime() - a.heartbeat_timestamp.getTime() <= this.#downTimeMs;
  }

  /** Whether an alive agent wires ports on `host` (then its ports wait for it to say so). */
  serves(host: string): boolean {
    const a = this.#agents.get(host);
    return a !== undefined && this.alive(a);
  }

  list(): AgentState[] {
    return [...this.#agents.values()];
  }

  devicesUp(host: string, portIds: readonly string[]): Promise<void> {
    return this.#setStatus(host, portIds, 'ACTIVE');
  }

  devicesDown(host: string, portIds: readonly string[]): Promise<void> {
    return this.#setStatus(host, portIds, 'DOWN');
  }

  async #setStatus(host: string, portIds: readonly string[], status: 'ACTIVE' | 'DOWN'): Promise<void> {
    const ctx = this.#ctx;
    if (!ctx) throw new Error('The agent registry serves no network service yet.');
    const events: NovaEvent[] = [];
    for (const id of portIds) {
      const changed = await inTransaction(ctx.db, async (trx) => {
        const p = await findPort(trx, id);
        if (!p || p.binding_host_id !== host || p.status === status) return undefined;
        await updatePort(trx, p, { status }, ctx.clock.now());
        return p;
      });
      if (changed) events.push(...statusEvents(changed, status));
    }
    ctx.nova?.notify(events);
  }
}

/** The Nova events of a port whose status went from `before.status` to `status`. */
export function statusEvents(
  before: Pick<Port, 'id' | 'device_id' | 'device_owner' | 'status'>,
  status: string,
) {
  if (before.status === status) return [];
  if (status === 'ACTIVE') return portEvent(before, 'network-vif-plugged');
  if (before.status === 'ACTIVE' && status === 'DOWN') return portEvent(before, 'network-vif-unplugged');
  return [];
}

/** Neutron's agent timestamps: `2026-12-06 12:00:00` (UTC, no T, no zone). */
const agentTime = (d: Date): string => (isoTime(d) ?? '').replace('T', ' ').replace('Z', '');

/** GET /v2.0/agents view of one agent. */
export function agentView(r: AgentRegistry, a: AgentState): Record<string, unknown> {
  return {
    id: a.id,
    agent_type: a.agent_type,
    binary: a.binary,
    topic: a.topic,
    host: a.host,
    admin_state_up: true,
    alive: r.alive(a),
    availability_zone: null,
    description: null,
    configurations: a.configurations,
    resources_synced: null,
    started_at: agentTime(a.started_at),
    created_at: agentTime(a.created_at),
    heartbeat_timestamp: agentTime(a.heartbeat_timestamp),
  };
}
