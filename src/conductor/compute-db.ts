// The conductor's database road for computes (which have no database access, as upstream): read
// and update instances, record faults and action events, list a host's instances. Dates cross the
// wire as ISO text and are turned back into Dates here.
import type { Clock } from '../common/clock.ts';
import type { Database } from '../db/connect.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import * as instances from '../objects/instance.ts';
import * as actions from '../objects/instance-action.ts';
import * as faults from '../objects/instance-fault.ts';
import * as meta from '../objects/instance-metadata.ts';
import type { RequestContext, RpcMethod } from '../rpc/index.ts';

export interface ComputeDbDeps {
  readonly cellDb: Database<CellDb>;
  readonly clock: Clock;
}

const DATE_KEYS = ['launched_at', 'terminated_at', 'scheduled_at'] as const;

/** InstanceChanges from the wire: ISO strings back to Dates. */
export function changesFromWire(c: Readonly<Record<string, unknown>>): instances.InstanceChanges {
  const out: Record<string, unknown> = { ...c };
  for (const k of DATE_KEYS) if (typeof out[k] === 'string') out[k] = new Date(out[k] as string);
  return out as instances.InstanceChanges;
}

/** The instance-action context (who asked, which request) of an RPC context. */
export const actx = (ctx: RequestContext) => ({
  request_id: ctx.request_id,
  user_id: ctx.user_id ?? null,
  project_id: ctx.project_id ?? null,
});

export interface UpdateArgs {
  readonly uuid: string;
  readonly changes: Readonly<Record<string, unknown>>;
  readonly expected_task_state?: readonly (string | null)[];
  readonly expected_vm_state?: readonly string[];
}

/** Rows as wire data: Dates become ISO text (the transport carries plain JSON only). */
const wire = <T>(v: T): unknown => JSON.parse(JSON.stringify(v));

export function computeDbMethods(deps: ComputeDbDeps): Record<string, RpcMethod> {
  const db = deps.cellDb;
  const now = () => deps.clock.now();
  return {
    instance_get: async (_ctx, a: { uuid: string; read_deleted?: boolean }) =>
      wire(await instances.get(db, a.uuid, { readDeleted: a.read_deleted === true })),
    instance_update: async (_ctx, a: UpdateArgs) =>
      wire(
        await instances.update(db, a.uuid, changesFromWire(a.changes), now(), {
          ...(a.expected_task_state ? { expectedTaskState: a.expected_task_state } : {}),
          ...(a.expected_vm_state ? { expectedVmState: a.expected_vm_state } : {}),
        }),
      ),
    instance_destroy: async (_ctx, a: { uuid: string }) => {
      await instances.destroy(db, a.uuid, now());
      return null;
    },
    instances_on_host: async (_ctx, a: { host: string }) => {
      const rows = await db.kysely
        .selectFrom('instances')
        .selectAll()
        .where('deleted', '=', 0)
        .where('host', '=', a.host)
        .execute();
      return wire(await instances.expand(db, rows.map(instances.toRecord)));
    },
    instance_fault_create: async (_ctx, a: { uuid: string; fault: faults.NewFault }) => {
      await faults.add(db, a.uuid, a.fault, now());
      return null;
    },
    action_event_start: async (ctx, a: { uuid: string; event: string; host: string | null }) => {
      await actions.eventStart(db, a.uuid, actx(ctx), a.event, a.host, now());
      return null;
    },
    action_event_finish: async (
      ctx,
      a: { uuid: string; event: string; error: { message: string; traceback?: string } | null },
    ) => {
      await actions.eventFinish(db, a.uuid, actx(ctx), a.event, a.error, now());
      return null;
    },
    instance_set_network_info: async (_ctx, a: { uuid: string; network_info: instances.Vif[] }) => {
      await instances.setNetworkInfo(db, a.uuid, a.network_info, now());
      return null;
    },
    instance_system_metadata_set: (
      _ctx,
      a: { uuid: string; values: Record<string, string>; replace?: boolean },
    ) => meta.set(db, 'instance_system_metadata', a.uuid, a.values, a.replace === true, now()),
  };
}
