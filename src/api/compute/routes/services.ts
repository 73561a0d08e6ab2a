// /os-services: list, the pre-2.53 PUT actions (enable, disable, disable-log-reason, force-down)
// and the 2.53 PUT by uuid, DELETE with its guards — upstream services.py.
import { hostZone, listZonedServices } from '../../../compute-api/cell-services.ts';
import {
  applyChange,
  checkNoPendingEvacuations,
  deleteService,
  findService,
  type ServiceChange,
  type ServiceDeps,
  updateByHostAndBinary,
} from '../../../compute-api/services.ts';
import { isUuidLike } from '../../../compute-api/uuids.ts';
import { Invalid, NotFound } from '../../../faults/fault.ts';
import type { CellMapping } from '../../../objects/cell-mapping.ts';
import * as hostMappings from '../../../objects/host-mapping.ts';
import { isServiceUp, type ServiceRecord } from '../../../objects/service.ts';
import { HOSTS_ADMIN_POLICIES as P } from '../policies/hosts-admin.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as S from '../schemas/services.ts';
import { boolFromString } from '../validation/params.ts';
import { serviceView } from '../views/services.ts';
import { cellDeps } from './infra.ts';

const API_SERVICES = ['nova-osapi_compute', 'nova-metadata'];

export const serviceDeps = (ctx: RouteContext): ServiceDeps => ({
  ...cellDeps(ctx),
  now: () => ctx.deps.clock.now(),
  placement: ctx.deps.placement,
});

const isUp = (ctx: RouteContext, s: ServiceRecord) =>
  isServiceUp(s, ctx.deps.clock.now(), ctx.deps.conf.DEFAULT.service_down_time);

async function zoneOf(ctx: RouteContext, s: ServiceRecord): Promise<string> {
  return s.topic === 'compute'
    ? hostZone(cellDeps(ctx), s.host)
    : ctx.deps.conf.DEFAULT.internal_service_availability_zone;
}

async function detail(ctx: RouteContext, s: ServiceRecord) {
  return serviceView(s, await zoneOf(ctx, s), isUp(ctx, s), ctx.mv);
}

/** 2.69: compute services of cells that did not answer, from the host mappings. */
async function downCellServices(ctx: RouteContext, down: readonly CellMapping[]) {
  const out: { binary: string; host: string; status: string }[] = [];
  for (const cell of down)
    for (const hm of await hostMappings.listByCell(ctx.deps.apiDb, cell.id))
      out.push({ binary: 'nova-compute', host: hm.host, status: 'UNKNOWN' });
  return out;
}

async function index(ctx: RouteContext) {
  const down: CellMapping[] = [];
  const host = ctx.param('host');
  const binary = ctx.param('binary');
  const keep = (s: { host: string; binary: string }) =>
    !API_SERVICES.includes(s.binary) && (!host || s.host === host) && (!binary || s.binary === binary);
  const list = (await listZonedServices(cellDeps(ctx), (c) => down.push(c))).filter((z) => keep(z.service));
  const views: unknown[] = list.map((z) =>
    serviceView(z.service, z.availability_zone, isUp(ctx, z.service), ctx.mv),
  );
  if (ctx.mv.atLeast('2.69')) views.push(...(await downCellServices(ctx, down)).filter(keep));
  return { services: views };
}

function requireCompute(binary: string): void {
  if (binary !== 'nova-compute')
    throw new Invalid(
      `Updating a ${binary} service is not supported. Only nova-compute services can be updated.`,
    );
}

/** Pre-2.53 update of the service named by host and binary in the body. */
async function updateNamed(ctx: RouteContext, change: ServiceChange): Promise<void> {
  const { host, binary } = ctx.body as { host: string; binary: string };
  requireCompute(binary);
  await updateByHostAndBinary(serviceDeps(ctx), host, binary, change);
}

type Action = (ctx: RouteContext) => Promise<unknown>;

const statusAction =
  (disabled: boolean, needReason: boolean): Action =>
  async (ctx) => {
    const { host, binary, disabled_reason: given } = ctx.body as Record<string, string | undefined>;
    if (needReason && given === undefined) throw new Invalid('Missing disabled reason field');
    const reason = needReason ? (given ?? null) : null;
    await updateNamed(ctx, { disabled, disabled_reason: reason });
    return {
      service: {
        host,
        binary,
        status: disabled ? 'disabled' : 'enabled',
        ...(reason && { disabled_reason: reason }),
      },
    };
  };

const forceDown: Action = async (ctx) => {
  const { host, binary } = ctx.body as { host: string; binary: string };
  if (!('forced_down' in ctx.body)) throw new Invalid('Missing forced_down field');
  const forced = boolFromString(ctx.body.forced_down);
  if (binary === 'nova-compute' && !forced) await checkNoPendingEvacuations(cellDeps(ctx), host);
  await updateNamed(ctx, { forced_down: forced });
  return { service: { host, binary, forced_down: forced } };
};

async function updateV21(ctx: RouteContext) {
  ctx.authorize(P.servicesUpdate, {});
  const actions: Record<string, Action> = {
    enable: statusAction(false, false),
    disable: statusAction(true, false),
    'disable-log-reason': statusAction(true, true),
    ...(ctx.mv.atLeast('2.11') && { 'force-down': forceDown }),
  };
  const action = Object.hasOwn(actions, ctx.params.id) ? actions[ctx.params.id] : undefined;
  if (!action) throw new NotFound('Unknown action');
  return action(ctx);
}

/** The 2.53 body → the change to make (400 for a reason with enabled, or no change at all). */
function changeOf(body: Record<string, unknown>): ServiceChange {
  let change: ServiceChange = {};
  if (body.status === 'enabled') {
    if (body.disabled_reason)
      throw new Invalid("Specifying 'disabled_reason' with status 'enabled' is invalid.");
    change = { disabled: false, disabled_reason: null };
  } else if (body.status === 'disabled') {
    change = { disabled: true, disabled_reason: (body.disabled_reason as string | undefined) ?? null };
  }
  if ('forced_down' in body) change = { ...change, forced_down: boolFromString(body.forced_down) };
  if (Object.keys(change).length === 0)
    throw new Invalid("No updates were requested. Fields 'status' or 'forced_down' should be specified.");
  return change;
}

async function updateV253(ctx: RouteContext) {
  const id = ctx.params.id;
  if (!isUuidLike(id)) throw new Invalid(`Invalid uuid ${id}`);
  ctx.authorize(P.servicesUpdate, {});
  const found = await findService(cellDeps(ctx), id);
  requireCompute(found.service.binary);
  const change = changeOf(ctx.body ?? {});
  if (change.forced_down === false) await checkNoPendingEvacuations(cellDeps(ctx), found.service.host);
  const saved = await applyChange(serviceDeps(ctx), found.db, found.service, change);
  return { service: await detail(ctx, saved) };
}

async function remove(ctx: RouteContext): Promise<void> {
  ctx.authorize(P.servicesDelete, {});
  const id = ctx.params.id;
  if (ctx.mv.atLeast('2.53')) {
    if (!isUuidLike(id)) throw new Invalid(`Invalid uuid ${id}`);
  } else if (!/^\s*[-+]?\d+\s*$/.test(id)) {
    throw new Invalid('Invalid input received: id must be an integer');
  }
  let found: Awaited<ReturnType<typeof findService>>;
  try {
    found = await findService(cellDeps(ctx), id.trim());
  } catch (err) {
    if (err instanceof NotFound) throw new NotFound(`Service ${id} not found.`, 'nova.service_not_found');
    throw err;
  }
  await deleteService(serviceDeps(ctx), found);
}

export const SERVICE_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/os-services',
    policy: { rule: P.servicesList, target: () => ({}) },
    query: S.serviceIndexQuery,
    handler: index,
  },
  {
    method: 'PUT',
    url: '/os-services/:id',
    maxVersion: '2.52',
    policy: { inHandler: [P.servicesUpdate] },
    body: S.serviceUpdateBody,
    handler: updateV21,
  },
  {
    method: 'PUT',
    url: '/os-services/:id',
    minVersion: '2.53',
    policy: { inHandler: [P.servicesUpdate] },
    body: S.serviceUpdateBody,
    handler: updateV253,
  },
  {
    method: 'DELETE',
    url: '/os-services/:id',
    policy: { inHandler: [P.servicesDelete] },
    status: 204,
    handler: remove,
  },
];
