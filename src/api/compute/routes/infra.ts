// /os-availability-zone[/detail], /os-hosts (to 2.42), /extensions — upstream
// availability_zone.py, hosts.py, extension_info.py.
import {
  type CellServiceDeps,
  listZonedServices,
  openCell,
  type ZonedService,
} from '../../../compute-api/cell-services.ts';
import { NotFound } from '../../../faults/fault.ts';
import * as computeNodes from '../../../objects/compute-node.ts';
import * as hostMappings from '../../../objects/host-mapping.ts';
import { isServiceUp } from '../../../objects/service.ts';
import { NotImplementedFault, ResourceNotFound } from '../faults/faults.ts';
import { INFRA_POLICIES as P } from '../policies/infra.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as S from '../schemas/infra.ts';
import { EXTENSIONS } from '../views/extensions-data.ts';
import { isoTime } from '../views/time.ts';
import { hostResources } from './host-resources.ts';

const API_SERVICES = ['nova-osapi_compute', 'nova-metadata'];

export const cellDeps = (ctx: RouteContext): CellServiceDeps => ({
  conf: ctx.deps.conf,
  apiDb: ctx.deps.apiDb,
  cells: ctx.deps.cells,
  log: ctx.deps.log,
});

function zoneLists(list: readonly ZonedService[], internal: string) {
  const enabled = new Set(list.filter((s) => !s.service.disabled).map((s) => s.availability_zone));
  const disabled = new Set(
    list
      .filter((s) => s.service.disabled && !enabled.has(s.availability_zone))
      .map((s) => s.availability_zone),
  );
  const visible = (z: string) => z !== internal;
  return {
    available: [...enabled].sort().filter(visible),
    unavailable: [...disabled].sort().filter(visible),
  };
}

async function azIndex(ctx: RouteContext) {
  const list = await listZonedServices(cellDeps(ctx));
  const { available, unavailable } = zoneLists(
    list,
    ctx.deps.conf.DEFAULT.internal_service_availability_zone,
  );
  const row = (zoneName: string, ok: boolean) => ({ zoneName, zoneState: { available: ok }, hosts: null });
  return {
    availabilityZoneInfo: [...available.map((z) => row(z, true)), ...unavailable.map((z) => row(z, false))],
  };
}

async function azDetail(ctx: RouteContext) {
  const list = await listZonedServices(cellDeps(ctx));
  const { conf } = ctx.deps;
  const now = ctx.deps.clock.now();
  const allZones = zoneLists(list, '\u0000');
  const hostsOf = (zone: string) => {
    const hosts: Record<string, Record<string, unknown>> = {};
    for (const s of list) {
      if (s.service.disabled || API_SERVICES.includes(s.service.binary) || s.availability_zone !== zone)
        continue;
      hosts[s.service.host] ??= {};
      hosts[s.service.host][s.service.binary] = {
        available: isServiceUp(s.service, now, conf.DEFAULT.service_down_time),
        active: !s.service.disabled,
        updated_at: isoTime(s.service.updated_at),
      };
    }
    return hosts;
  };
  return {
    availabilityZoneInfo: [
      ...allZones.available.map((z) => ({ zoneName: z, zoneState: { available: true }, hosts: hostsOf(z) })),
      ...allZones.unavailable.map((z) => ({ zoneName: z, zoneState: { available: false }, hosts: null })),
    ],
  };
}

/** 404 unless a compute service runs on the host and it is mapped (HostNotFound upstream). */
async function requireComputeHost(ctx: RouteContext, host: string): Promise<void> {
  const mapped = await hostMappings.findByHost(ctx.deps.apiDb, host);
  if (!mapped) throw new NotFound(`Host '${host}' is not mapped to any cell`, 'nova.host_mapping_not_found');
  const list = await listZonedServices(cellDeps(ctx));
  if (!list.some((s) => s.service.host === host && s.service.binary === 'nova-compute'))
    throw new NotFound(`Compute host ${host} could not be found.`, 'nova.compute_host_not_found');
}

/** The virt drivers nova-ts runs do not implement host power or maintenance actions (as libvirt). */
const powerAction = (rule: string): RouteDef => ({
  method: 'GET',
  url: `/os-hosts/:id/${rule === P.hostsStart ? 'startup' : rule === P.hostsShutdown ? 'shutdown' : 'reboot'}`,
  maxVersion: '2.42',
  policy: { rule, target: () => ({}) },
  handler: async (ctx) => {
    await requireComputeHost(ctx, ctx.params.id);
    throw new NotImplementedFault();
  },
});

export const INFRA_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/os-availability-zone',
    policy: { rule: P.azList, target: () => ({}) },
    query: S.plainQuery,
    handler: azIndex,
  },
  {
    method: 'GET',
    url: '/os-availability-zone/detail',
    policy: { rule: P.azDetail, target: () => ({}) },
    query: S.plainQuery,
    handler: azDetail,
  },
  {
    method: 'GET',
    url: '/os-hosts',
    maxVersion: '2.42',
    policy: { rule: P.hostsList, target: () => ({}) },
    query: S.hostIndexQuery,
    handler: async (ctx) => {
      const zone = ctx.param('zone');
      const list = (await listZonedServices(cellDeps(ctx))).filter(
        (s) =>
          !s.service.disabled &&
          !API_SERVICES.includes(s.service.binary) &&
          (!zone || s.availability_zone === zone),
      );
      return {
        hosts: list.map((s) => ({
          host_name: s.service.host,
          service: s.service.topic,
          zone: s.availability_zone,
        })),
      };
    },
  },
  {
    method: 'GET',
    url: '/os-hosts/:id',
    maxVersion: '2.42',
    policy: { rule: P.hostsShow, target: () => ({}) },
    handler: async (ctx) => {
      const host = ctx.params.id;
      const mapping = await hostMappings.findByHost(ctx.deps.apiDb, host);
      if (!mapping)
        throw new NotFound(`Host '${host}' is not mapped to any cell`, 'nova.host_mapping_not_found');
      const db = await openCell(cellDeps(ctx), mapping.cell_mapping);
      const nodes = await computeNodes.listByHost(db, host);
      if (nodes.length === 0) throw new NotFound(`Compute host ${host} could not be found.`);
      return { host: await hostResources(db, host, nodes[0]) };
    },
  },
  {
    method: 'PUT',
    url: '/os-hosts/:id',
    maxVersion: '2.42',
    policy: { rule: P.hostsUpdate, target: () => ({}) },
    body: S.hostUpdateBody,
    handler: async (ctx) => {
      await requireComputeHost(ctx, ctx.params.id);
      throw new NotImplementedFault();
    },
  },
  powerAction(P.hostsReboot),
  powerAction(P.hostsShutdown),
  powerAction(P.hostsStart),
  {
    method: 'GET',
    url: '/extensions',
    policy: { rule: P.extensions, target: () => ({}) },
    query: S.plainQuery,
    handler: async () => ({ extensions: EXTENSIONS }),
  },
  {
    method: 'GET',
    url: '/extensions/:id',
    policy: { rule: P.extensions, target: () => ({}) },
    query: S.plainQuery,
    handler: async (ctx) => {
      const ext = EXTENSIONS.find((e) => e.alias === ctx.params.id);
      if (!ext) throw new ResourceNotFound();
      return { extension: ext };
    },
  },
];
