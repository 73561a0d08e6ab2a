// The conductor's part of the boot path: schedule_and_build_instances (build requests → scheduler
// → an instance in the chosen host's cell → build_and_run_instance on that compute; NoValidHost →
// an ERROR instance in cell0 with a fault) and build_instances (a compute's reschedule to an
// alternate). Redelivered messages are harmless: work already done is recognised and skipped.
import type { CellPool } from '../cells/cell-pool.ts';
import { cell0, cellByUuid, cellOfInstance, hostsOfInstances } from '../cells/lookup.ts';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { BuildArgs, ComputeClient } from '../compute/rpcapi.ts';
import type { Database } from '../db/connect.ts';
import { isDuplicateEntry } from '../db/errors.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import { Fault } from '../faults/fault.ts';
import * as buildRequests from '../objects/build-request.ts';
import * as instances from '../objects/instance.ts';
import * as actions from '../objects/instance-action.ts';
import * as faults from '../objects/instance-fault.ts';
import * as groups from '../objects/instance-group.ts';
import * as instanceMappings from '../objects/instance-mapping.ts';
import * as requestSpecs from '../objects/request-spec.ts';
import type { RequestContext } from '../rpc/index.ts';
import type { SchedulerClient } from '../scheduler/client.ts';
import type { SchedulerPlacement } from '../scheduler/manager.ts';
import type { AllocationRequest, Selection } from '../scheduler/selection.ts';
import { actx } from './compute-db.ts';

export interface BuildDeps {
  readonly apiDb: Database<ApiDb>;
  readonly cells: CellPool;
  readonly clock: Clock;
  readonly scheduler: SchedulerClient;
  readonly compute: ComputeClient;
  readonly placement: Pick<SchedulerPlacement, 'claim' | 'release'>;
  readonly log: Logger;
}

export interface ScheduleAndBuildArgs {
  readonly instance_uuids: readonly string[];
  readonly admin_password: string | null;
  readonly injected_files: BuildArgs['injected_files'];
  readonly requested_networks: BuildArgs['requested_networks'];
}

/** Puts a never-scheduled instance in cell0 as ERROR with the fault, and drops its build request. */
async function buryInCell0(
  deps: BuildDeps,
  ctx: RequestContext,
  br: buildRequests.BuildRequest,
  err: unknown,
) {
  const now = deps.clock.now();
  const c0 = await cell0(deps.apiDb, deps.cells);
  const message = err instanceof Error ? err.message : String(err);
  try {
    await instances.create(
      c0.db,
      { ...br.instance, vm_state: 'error', task_state: null, host: null, node: null },
      now,
    );
  } catch (e) {
    if (!isDuplicateEntry(e)) throw e;
  }
  await faults.add(
    c0.db,
    br.instance_uuid,
    {
      code: err instanceof Fault && err.status < 500 && err.status !== 400 ? err.status : 500,
      message,
      details: err instanceof Error ? (err.stack ?? message) : message,
    },
    now,
  );
  await actions.start(c0.db, br.instance_uuid, 'create', actx(ctx), now);
  await actions.eventStart(
    c0.db,
    br.instance_uuid,
    actx(ctx),
    'conductor_schedule_and_build_instances',
    null,
    now,
  );
  await actions.eventFinish(
    c0.db,
    br.instance_uuid,
    actx(ctx),
    'conductor_schedule_and_build_instances',
    { message },
    now,
  );
  await instanceMappings.setCell(deps.apiDb, br.instance_uuid, c0.mapping.id, now);
  await buildRequests.remove(deps.apiDb, br.instance_uuid);
}

async function placeOne(
  deps: BuildDeps,
  ctx: RequestContext,
  br: buildRequests.BuildRequest,
  hosts: readonly Selection[],
  args: ScheduleAndBuildArgs,
): Promise<void> {
  const [sel, ...alternates] = hosts;
  const now = deps.clock.now();
  const cell = await cellByUuid(deps.apiDb, deps.cells, sel.cell_uuid);
  try {
    await instances.create(
      cell.db,
      {
        ...br.instance,
        host: sel.service_host,
        node: sel.nodename,
        vm_state: 'building',
        task_state: 'scheduling',
      },
      now,
    );
  } catch (e) {
    if (!isDuplicateEntry(e)) throw e;
  }
  await instances.update(
    cell.db,
    br.instance_uuid,
    { launched_on: sel.service_host, scheduled_at: now },
    now,
  );
  await actions.start(cell.db, br.instance_uuid, 'create', actx(ctx), now);
  await instanceMappings.setCell(deps.apiDb, br.instance_uuid, cell.mapping.id, now);
  if (!(await buildRequests.remove(deps.apiDb, br.instance_uuid))) {
    // Deleted by its owner while it was being scheduled: nothing to build.
    await instances.destroy(cell.db, br.instance_uuid, now);
    await deps.placement.release(br.instance_uuid);
    return;
  }
  const spec = await requestSpecs.get(deps.apiDb, br.instance_uuid);
  await deps.compute.buildAndRunInstance(ctx, sel.service_host, {
    instance_uuid: br.instance_uuid,
    request_spec: spec,
    node: sel.nodename,
    host_list: alternates,
    admin_password: args.admin_password,
    injected_files: args.injected_files,
    requested_networks: args.requested_networks,
  });
}

export async function scheduleAndBuild(
  deps: BuildDeps,
  ctx: RequestContext,
  args: ScheduleAndBuildArgs,
): Promise<void> {
  const pending: buildRequests.BuildRequest[] = [];
  for (const uuid of args.instance_uuids) {
    const br = await buildRequests.find(deps.apiDb, uuid);
    if (br) pending.push(br);
  }
  if (pending.length === 0) return;
  // A redelivered message may find claims from the interrupted attempt: start clean.
  for (const br of pending) await deps.placement.release(br.instance_uuid);
  const spec = await requestSpecs.get(deps.apiDb, pending[0].instance_uuid);
  let selections: Selection[][];
  try {
    selections = await deps.scheduler.selectDestinations(
      ctx,
      { ...spec, num_instances: pending.length },
      pending.map((b) => b.instance_uuid),
    );
  } catch (err) {
    deps.log.warn({ err, instances: pending.map((b) => b.instance_uuid) }, 'scheduling failed');
    for (const br of pending) await buryInCell0(deps, ctx, br, err);
    return;
  }
  for (const [i, br] of pending.entries()) {
    try {
      await placeOne(deps, ctx, br, selections[i], args);
    } catch (err) {
      deps.log.error({ err, instance: br.instance_uuid }, 'could not hand the instance to its compute');
      await deps.placement.release(br.instance_uuid).catch(() => {});
      const cell = await cellOfInstance(deps.apiDb, deps.cells, br.instance_uuid);
      if (cell) await markError(deps, cell.db, br.instance_uuid, err);
      else await buryInCell0(deps, ctx, br, err);
    }
  }
}

async function markError(
  deps: BuildDeps,
  db: Database,
  uuid: string,
  err: unknown,
  host: string | null = null,
) {
  const now = deps.clock.now();
  const message = err instanceof Error ? err.message : String(err);
  await instances.update(db as never, uuid, { vm_state: 'error', task_state: null }, now).catch(() => {});
  await faults.add(db as never, uuid, { code: 500, message, details: message, host }, now);
}

export interface RescheduleArgs extends BuildArgs {
  /** Why the last host failed (shown in the fault if no alternate is left). */
  readonly reason: string;
  readonly failed_host: string;
}

/** A compute could not build: try the next alternate (claiming it), else ERROR with a fault. */
export async function reschedule(deps: BuildDeps, ctx: RequestContext, args: RescheduleArgs): Promise<void> {
  const cell = await cellOfInstance(deps.apiDb, deps.cells, args.instance_uuid);
  if (!cell) return;
  const spec = args.request_spec;
  const remaining = [...args.host_list];
  while (remaining.length > 0) {
    const next = remaining.shift() as Selection;
    if (!next.allocation_request) continue;
    const req = JSON.parse(next.allocation_request) as AllocationRequest;
    if (!(await deps.placement.claim(args.instance_uuid, req, spec.project_id, spec.user_id))) continue;
    const now = deps.clock.now();
    try {
      await instances.update(
        cell.db,
        args.instance_uuid,
        {
          host: next.service_host,
          node: next.nodename,
          launched_on: next.service_host,
          task_state: 'scheduling',
        },
        now,
        { expectedTaskState: [null, 'scheduling', 'spawning', 'networking', 'block_device_mapping'] },
      );
    } catch (err) {
      await deps.placement.release(args.instance_uuid);
      deps.log.info(
        { err, instance: args.instance_uuid },
        'reschedule stopped: the instance changed meanwhile',
      );
      return;
    }
    await deps.compute.buildAndRunInstance(ctx, next.service_host, {
      ...args,
      node: next.nodename,
      host_list: remaining,
      request_spec: {
        ...spec,
        retry: {
          num_attempts: (spec.retry?.num_attempts ?? 1) + 1,
          hosts: [...(spec.retry?.hosts ?? []), [args.failed_host, args.node]],
        },
      },
    });
    return;
  }
  await markError(
    deps,
    cell.db,
    args.instance_uuid,
    new Error(
      `Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance ${args.instance_uuid}.`,
    ),
    args.failed_host,
  );
}

/**
 * Build requests nobody is working on (their message was lost with a process, or its handling
 * failed half-way) are driven again once they are older than `olderThanMs`. Safe to repeat: work
 * already done is recognised (instance exists, build request gone).
 */
export async function redriveOrphanedBuilds(deps: BuildDeps, olderThanMs: number): Promise<number> {
  const cutoff = deps.clock.now().getTime() - olderThanMs;
  const orphans = (await buildRequests.list(deps.apiDb)).filter(
    (b) => b.created_at !== null && b.created_at.getTime() < cutoff,
  );
  for (const br of orphans) {
    deps.log.warn({ instance: br.instance_uuid }, 'driving an orphaned build request again');
    const ctx: RequestContext = {
      request_id: `req-${br.instance_uuid}`,
      user_id: br.user_id ?? undefined,
      project_id: br.project_id,
      roles: ['admin'],
      is_admin: true,
    };
    await scheduleAndBuild(deps, ctx, {
      instance_uuids: [br.instance_uuid],
      admin_password: null,
      injected_files: [],
      requested_networks: 'auto',
    }).catch((err: unknown) =>
      deps.log.error({ err, instance: br.instance_uuid }, 're-driving the build failed'),
    );
  }
  return orphans.length;
}

/** Hosts of a server group's members other than `exclude` (the compute's late group check). */
export async function groupMemberHosts(
  deps: BuildDeps,
  groupUuid: string,
  exclude: string,
): Promise<string[]> {
  const g = await groups.getByUuid(deps.apiDb, groupUuid);
  return hostsOfInstances(
    deps.apiDb,
    deps.cells,
    g.members.filter((m) => m !== exclude),
  );
}
