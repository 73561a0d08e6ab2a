// What a server view shows beyond the instance itself, read in batches for a page of servers:
// availability zone (the host's aggregate zone, else the requested one), attached volumes,
// security groups, host status (2.16), server groups (2.71, show), and the request spec's pinned
// zone and scheduler hints (2.96 / 2.100).
import type { CellRef } from '../../cells/lookup.ts';
import type { Clock } from '../../common/clock.ts';
import { toBool } from '../../db/values.ts';
import * as services from '../../objects/service.ts';
import type { RequestSpec } from '../../scheduler/types.ts';
import { type CellServiceDeps, zonesByHost } from '../cell-services.ts';
import type { ListedServer } from './list.ts';

/** Upstream HostStatus: UP, DOWN, MAINTENANCE, UNKNOWN, or '' (no host / no compute service). */
export type HostStatus = 'UP' | 'DOWN' | 'MAINTENANCE' | 'UNKNOWN' | '';

export interface VolumeAttached {
  readonly id: string;
  readonly delete_on_termination: boolean;
}

export interface ServerExtras {
  readonly availabilityZone: string | null;
  readonly volumes: readonly VolumeAttached[];
  readonly securityGroups: readonly { readonly name: string }[];
  readonly hostStatus?: HostStatus;
  readonly serverGroups?: readonly string[];
  /** The request spec (absent for servers without one). */
  readonly spec?: Pick<RequestSpec, 'availability_zone' | 'scheduler_hints'>;
}

/** Host status of a server's host; the default reads the compute service in the server's cell. */
export type HostStatusSource = (server: ListedServer) => Promise<HostStatus>;
/** Security groups of servers by uuid (the network service's bindings). */
export type SecurityGroupSource = (
  uuids: readonly string[],
) => Promise<ReadonlyMap<string, readonly string[]>>;

export interface ExtrasDeps extends CellServiceDeps {
  readonly clock: Clock;
}

export interface ExtrasOptions {
  readonly hostStatus?: boolean;
  readonly serverGroups?: boolean;
  readonly requestSpecs?: boolean;
  readonly hostStatusOf?: HostStatusSource;
  readonly securityGroupsOf?: SecurityGroupSource;
}

/** get_instance_host_status over the services table of the server's cell. */
export function serviceHostStatus(d: ExtrasDeps): HostStatusSource {
  return async (s) => {
    if (s.kind !== 'instance' || !s.instance.host) return '';
    const svc = await services.findByHostAndBinary(s.cell.db, s.instance.host, 'nova-compute');
    if (!svc) return '';
    if (svc.forced_down) return 'DOWN';
    if (svc.disabled) return 'MAINTENANCE';
    return services.isServiceUp(svc, d.clock.now(), d.conf.DEFAULT.service_down_time) ? 'UP' : 'UNKNOWN';
  };
}

async function volumesOf(cell: CellRef, uuids: readonly string[]): Promise<Map<string, VolumeAttached[]>> {
  const out = new Map<string, VolumeAttached[]>();
  if (uuids.length === 0) return out;
  const rows = await cell.db.kysely
    .selectFrom('block_device_mapping')
    .select(['instance_uuid', 'volume_id', 'delete_on_termination'])
    .where('instance_uuid', 'in', [...uuids])
    .where('deleted', '=', 0)
    .orderBy('id')
    .execute();
  for (const r of rows) {
    if (!r.volume_id || !r.instance_uuid) continue;
    const list = out.get(r.instance_uuid) ?? [];
    list.push({ id: r.volume_id, delete_on_termination: toBool(r.delete_on_termination ?? false) });
    out.set(r.instance_uuid, list);
  }
  return out;
}

async function groupsOf(d: ExtrasDeps, uuids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (uuids.length === 0) return out;
  const rows = await d.apiDb.kysely
    .selectFrom('instance_group_member as m')
    .innerJoin('instance_groups as g', 'g.id', 'm.group_id')
    .select(['m.instance_uuid', 'g.uuid'])
    .where('m.instance_uuid', 'in', [...uuids])
    .execute();
  for (const r of rows)
    if (r.instance_uuid) out.set(r.instance_uuid, [...(out.get(r.instance_uuid) ?? []), r.uuid]);
  return out;
}

async function specsOf(d: ExtrasDeps, uuids: readonly string[]): Promise<Map<string, RequestSpec>> {
  const out = new Map<string, RequestSpec>();
  if (uuids.length === 0) return out;
  const rows = await d.apiDb.kysely
    .selectFrom('request_specs')
    .select(['instance_uuid', 'spec'])
    .where('instance_uuid', 'in', [...uuids])
    .execute();
  for (const r of rows) {
    try {
      out.set(r.instance_uuid, JSON.parse(r.spec) as RequestSpec);
    } catch {
      // an unreadable spec shows as none
    }
  }
  return out;
}

const DEFAULT_GROUPS = Object.freeze([Object.freeze({ name: 'default' })]);

/** Extras of each server, in the same order. */
export async function loadExtras(
  d: ExtrasDeps,
  servers: readonly ListedServer[],
  opts: ExtrasOptions = {},
): Promise<ServerExtras[]> {
  const uuids = servers.map((s) => s.instance.uuid);
  const byCell = new Map<string, { cell: CellRef; uuids: string[] }>();
  for (const s of servers) {
    if (s.kind !== 'instance') continue;
    const e = byCell.get(s.cell.mapping.uuid) ?? { cell: s.cell, uuids: [] };
    e.uuids.push(s.instance.uuid);
    byCell.set(s.cell.mapping.uuid, e);
  }
  const volumes = new Map<string, VolumeAttached[]>();
  for (const { cell, uuids: mine } of byCell.values())
    for (const [k, v] of await volumesOf(cell, mine)) volumes.set(k, v);
  const zones = servers.some((s) => s.instance.host)
    ? await zonesByHost(d.apiDb)
    : new Map<string, string[]>();
  const groups = opts.serverGroups ? await groupsOf(d, uuids) : undefined;
  const specs = opts.requestSpecs ? await specsOf(d, uuids) : undefined;
  const sgs = opts.securityGroupsOf ? await opts.securityGroupsOf(uuids) : undefined;
  const statusOf = opts.hostStatus ? (opts.hostStatusOf ?? serviceHostStatus(d)) : undefined;
  const out: ServerExtras[] = [];
  for (const s of servers) {
    const inst = s.instance;
    const az = inst.host
      ? (zones.get(inst.host)?.[0] ?? d.conf.DEFAULT.default_availability_zone)
      : inst.availability_zone;
    const names = sgs?.get(inst.uuid);
    const spec = specs?.get(inst.uuid);
    out.push({
      availabilityZone: az,
      volumes: volumes.get(inst.uuid) ?? [],
      securityGroups: names ? names.map((name) => ({ name })) : DEFAULT_GROUPS,
      ...(statusOf && { hostStatus: await statusOf(s) }),
      ...(groups && { serverGroups: groups.get(inst.uuid) ?? [] }),
      ...(spec && {
        spec: { availability_zone: spec.availability_zone, scheduler_hints: spec.scheduler_hints },
      }),
    });
  }
  return out;
}
