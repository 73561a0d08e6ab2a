// The data plane agent of a host (Neutron's Linux-bridge, DHCP, L3 and metadata agents in one):
// it reads the network service's view — the ports bound to this host's computes, their networks
// and subnets — and makes the host match it, again every interval: a bridge per network in use, a
// DHCP namespace with dnsmasq per network with DHCP subnets, the metadata relay, and (when plugged
// in) security group filters and routers. What it made for a network goes when the network is no
// longer used here. The QEMU driver plugs the guests' taps into the bridges.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../common/log.ts';
import type { AgentServer } from '../network/agents.ts';
import type { Json, NetworkClient } from '../network-client/client.ts';
import { DhcpServer, type DhcpSubnet, sameSubnet } from './dhcp.ts';
import { bridgeOf, deleteLink, ensureBridge, portTap } from './ip-command.ts';
import { startMetadataRelay } from './metadata-relay.ts';
import { bridgeName, dhcpNamespace } from './names.ts';

export interface DataplaneAgentOptions {
  /** Compute hosts whose ports this agent serves (binding:host_id). */
  readonly hosts: readonly string[];
  readonly network: () => Promise<NetworkClient>;
  /** Where DHCP files and the relay socket live ($state_path/dataplane). */
  readonly stateDir: string;
  /** The metadata service and the shared secret of the signed headers; absent: no metadata. */
  readonly metadata?: { readonly url: string; readonly secret: string };
  readonly log: Logger;
  readonly intervalMs?: number;
  /** Extra reconcilers (security groups, routers) run after L2/DHCP with the same snapshot. */
  readonly plugins?: readonly DataplanePlugin[];
  /** The network service's agent side: heartbeats and devices up/down; absent: ports are not reported. */
  readonly server?: AgentServer;
}

/** What one reconcile pass saw of the network service. */
export interface NetworkSnapshot {
  readonly ports: readonly Json[];
  /** Ports bound to this agent's hosts (guests). */
  readonly localPorts: readonly Json[];
  readonly client: NetworkClient;
}

export interface DataplanePlugin {
  readonly name: string;
  sync(s: NetworkSnapshot): Promise<void>;
  teardown(): Promise<void>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const isGuestPort = (p: Json) => str(p.device_owner).startsWith('compute:');
const DHCP_OWNER = 'network:dhcp';

export class DataplaneAgent {
  readonly #o: DataplaneAgentOptions;
  readonly #dhcp = new Map<string, { server: DhcpServer; portId: string }>();
  readonly #bridges = new Set<string>();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #relay: { stop(): Promise<void> } | null = null;
  #stopped = false;
  #stopping: Promise<void> | undefined;

  constructor(o: DataplaneAgentOptions) {
    this.#o = o;
  }

  get metadataSocket(): string {
    return join(this.#o.stateDir, 'metadata.sock');
  }

  start(): void {
    mkdirSync(this.#o.stateDir, { recursive: true });
    if (this.#o.metadata)
      this.#relay = startMetadataRelay({
        socketPath: this.metadataSocket,
        metadataUrl: this.#o.metadata.url,
        secret: this.#o.metadata.secret,
        network: this.#o.network,
        log: this.#o.log,
      });
    const tick = () => {
      if (this.#stopped) return;
      void this.reconcile().finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(tick, this.#o.intervalMs ?? 1000);
      });
    };
    tick();
  }

  /** Stops watching; what was made stays (guests keep their network while nova-ts restarts). */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#stopped = true;
      if (this.#timer) clearTimeout(this.#timer);
      await this.#running?.catch(() => {});
      await this.#relay?.stop();
    })();
    return this.#stopping;
  }

  /** Removes everything this agent made (tests, and a host leaving the cloud). */
  async teardown(): Promise<void> {
    await this.stop();
    for (const p of this.#o.plugins ?? []) await p.teardown().catch(() => {});
    for (const [net, d] of this.#dhcp) {
      await d.server.destroy(d.portId);
      this.#dhcp.delete(net);
    }
    for (const b of this.#bridges) await deleteLink(b);
    this.#bridges.clear();
  }

  /** One pass; passes never overlap. */
  reconcile(): Promise<void> {
    if (this.#running) return this.#running;
    this.#running = this.#pass()
      .catch((err: unknown) => this.#o.log.warn({ err }, 'data plane: reconcile failed'))
      .finally(() => {
        this.#running = null;
      });
    return this.#running;
  }

  async #pass(): Promise<void> {
    this.#o.server?.reportState(this.#o.hosts, { interface_mappings: {}, bridge_mappings: {} });
    const client = await this.#o.network();
    const ports = await client.listPorts({});
    const hosts = new Set(this.#o.hosts);
    const localPorts = ports.filter((p) => isGuestPort(p) && hosts.has(str(p['binding:host_id'])));
    // Networks in use here: guests' and (this host being the network node) routers'.
    const routerPorts = ports.filter((p) => str(p.device_owner).startsWith('network:router_'));
    const netIds = new Set([...localPorts, ...routerPorts].map((p) => str(p.network_id)));
    for (const netId of netIds) {
      const bridge = bridgeName(netId);
      await ensureBridge(bridge);
      this.#bridges.add(bridge);
      await this.#syncDhcp(client, netId, ports);
    }
    for (const [netId, d] of this.#dhcp)
      if (!netIds.has(netId)) {
        this.#o.log.info({ network: netId }, 'data plane: network no longer used here; DHCP removed');
        await d.server.destroy(d.portId);
        this.#dhcp.delete(netId);
        await client.deletePort(d.portId).catch(() => {});
      }
    for (const b of [...this.#bridges])
      if (![...netIds].some((n) => bridgeName(n) === b)) {
        await deleteLink(b);
        this.#bridges.delete(b);
      }
    let filtered = true;
    for (const p of this.#o.plugins ?? [])
      await p.sync({ ports, localPorts, client }).catch((err: unknown) => {
        filtered = false;
        this.#o.log.warn({ err, plugin: p.name }, 'data plane: plugin failed');
      });
    if (this.#o.server) await this.#reportDevices(this.#o.server, localPorts, filtered);
  }

  /**
   * Tells the network service which guest ports are wired (tap in its network's bridge, filters
   * applied in this pass) and which lost their tap (the guest stopped or left): each only when its
   * status says otherwise.
   */
  async #reportDevices(server: AgentServer, localPorts: readonly Json[], filtered: boolean): Promise<void> {
    const up = new Map<string, string[]>();
    const down = new Map<string, string[]>();
    const add = (m: Map<string, string[]>, host: string, id: string) =>
      m.set(host, [...(m.get(host) ?? []), id]);
    for (const p of localPorts) {
      const id = str(p.id);
      const host = str(p['binding:host_id']);
      const tap = portTap(id);
      if (tap === null) {
        if (p.status === 'ACTIVE') add(down, host, id);
      } else if (filtered && p.status !== 'ACTIVE' && bridgeOf(tap) === bridgeName(str(p.network_id)))
        add(up, host, id);
    }
    for (const [host, ids] of up) {
      this.#o.log.info({ host, ports: ids }, 'data plane: devices up');
      await server.devicesUp(host, ids);
    }
    for (const [host, ids] of down) {
      this.#o.log.info({ host, ports: ids }, 'data plane: devices gone');
      await server.devicesDown(host, ids);
    }
  }

  async #syncDhcp(client: NetworkClient, netId: string, ports: readonly Json[]): Promise<void> {
    const subnets = (await client.listSubnets({ network_id: netId })).filter(
      (s) => s.enable_dhcp !== false && Number(s.ip_version ?? 4) === 4,
    );
    const existing = this.#dhcp.get(netId);
    if (subnets.length === 0) {
      if (existing) {
        await existing.server.destroy(existing.portId);
        this.#dhcp.delete(netId);
      }
      return;
    }
    let port = ports.find((p) => str(p.network_id) === netId && str(p.device_owner) === DHCP_OWNER);
    if (port === undefined)
      port = await client.createPort({
        network_id: netId,
        device_owner: DHCP_OWNER,
        device_id: `dhcp-${netId}`,
        name: '',
        fixed_ips: subnets.map((s) => ({ subnet_id: s.id })),
      });
    const portIps = (
      (port.fixed_ips as { ip_address: string; subnet_id: string }[] | undefined) ?? []
    ).flatMap((f) => {
      const s = subnets.find((x) => x.id === f.subnet_id);
      return s ? [{ ip: f.ip_address, prefix: Number(str(s.cidr).split('/')[1] ?? 32) }] : [];
    });
    const network = await client.showNetwork(netId);
    const hosts = ports
      .filter((p) => str(p.network_id) === netId && isGuestPort(p))
      .flatMap((p) =>
        ((p.fixed_ips as { ip_address: string }[] | undefined) ?? [])
          .filter((f) => subnets.some((s) => sameSubnet(f.ip_address, str(s.cidr))))
          .map((f) => ({
            mac: str(p.mac_address),
            ip: f.ip_address,
            hostname: `host-${f.ip_address.replace(/\./g, '-')}`,
          })),
      );
    const d = existing ?? {
      server: new DhcpServer(netId, {
        dir: join(this.#o.stateDir, 'dhcp'),
        ...(this.#o.metadata ? { metadataSocket: this.metadataSocket } : {}),
        log: this.#o.log,
      }),
      portId: str(port.id),
    };
    if (!existing) this.#o.log.info({ network: netId, port: d.portId }, 'data plane: DHCP for the network');
    this.#dhcp.set(netId, d);
    await d.server.sync({
      networkId: netId,
      mtu: typeof network.mtu === 'number' ? network.mtu : null,
      port: { id: str(port.id), mac: str(port.mac_address), ips: portIps },
      subnets: subnets.map(
        (s): DhcpSubnet => ({
          id: str(s.id),
          cidr: str(s.cidr),
          gatewayIp: str(s.gateway_ip) || null,
          dnsNameservers: (s.dns_nameservers as string[] | undefined) ?? [],
          hostRoutes: (s.host_routes as { destination: string; nexthop: string }[] | undefined) ?? [],
        }),
      ),
      hosts,
    });
  }
}

/** The DHCP namespace name of a network (exported for tests and diagnostics). */
export const namespaceOf = dhcpNamespace;
