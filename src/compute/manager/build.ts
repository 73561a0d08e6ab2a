// build_and_run_instance: claim on this host, spawn through the driver, and move the instance
// BUILD → ACTIVE (task states scheduling → networking → block_device_mapping → spawning → none).
// A failed spawn cleans the guest up and goes back to the conductor for a reschedule to an
// alternate; with none left (or a failure a reschedule cannot fix) the instance goes to ERROR with
// a fault and its allocations are released.
import type { Instance } from '../../objects/instance.ts';
import { UnexpectedTaskState } from '../../objects/instance.ts';
import type { RequestContext } from '../../rpc/index.ts';
import { PowerState } from '../../virt/driver.ts';
import type { BuildArgs } from '../rpcapi.ts';
import type { ComputeManagerDeps } from './deps.ts';
import { toDriverInstance } from './driver-instance.ts';
import { asEvent, errorText, recordFault, update, vifWaits } from './instance-ops.ts';
import { allocateNetworks, deallocateNetworks } from './networking.ts';

/** Another worker moved the instance on (a duplicate build message, a delete): not ours to undo. */
const isNotOurs = (err: unknown): boolean =>
  err instanceof UnexpectedTaskState || (err instanceof Error && err.name === 'UnexpectedTaskState');
/** The instance was deleted meanwhile. */
const isGone = (err: unknown): boolean => err instanceof Error && /could not be found/.test(err.message);

/**
 * The late server-group check: two builds scheduled at once may both have picked this host. An
 * anti-affinity group (up to rules.max_server_per_host) or affinity group that this host would
 * break sends the build back for a reschedule.
 */
async function lateGroupCheck(deps: ComputeManagerDeps, ctx: RequestContext, args: BuildArgs): Promise<void> {
  const g = args.request_spec.instance_group;
  if (!g || !/affinity/.test(g.policy) || g.policy.startsWith('soft')) return;
  let others: string[];
  try {
    others = await deps.conductor.groupMemberHosts(ctx, g.uuid, args.instance_uuid);
  } catch (err) {
    // A cell conductor without the API database cannot answer: the scheduler's check stands.
    deps.log.warn({ err, instance: args.instance_uuid }, 'late server-group check skipped');
    return;
  }
  if (g.policy === 'anti-affinity') {
    const max = Number(g.rules.max_server_per_host ?? 1) || 1;
    if (others.filter((h) => h === deps.host).length >= max)
      throw new Error(`Anti-affinity instance group policy was violated on host ${deps.host}.`);
  } else if (others.some((h) => h !== deps.host))
    throw new Error(`Affinity instance group policy was violated on host ${deps.host}.`);
}

export async function buildAndRunInstance(
  deps: ComputeManagerDeps,
  ctx: RequestContext,
  args: BuildArgs,
): Promise<void> {
  const uuid = args.instance_uuid;
  let inst: Instance;
  try {
    inst = await deps.conductor.instanceGet(ctx, uuid);
  } catch {
    // Deleted before it reached us: nothing to build, nothing to keep.
    await deps.placement.release(uuid).catch(() => {});
    return;
  }
  // A redelivered message for a build already done (or settled as ERROR at restart): nothing to do.
  if (inst.vm_state !== 'building' || inst.host !== deps.host) return;
  try {
    await asEvent(deps, ctx, uuid, '_do_build_and_run_instance', async () => {
      await update(deps, ctx, uuid, { vm_state: 'building', task_state: null }, ['scheduling', null]);
      await update(deps, ctx, uuid, { task_state: 'networking' }, [null]);
      const networkInfo = await allocateNetworks(
        deps,
        ctx,
        inst,
        args.requested_networks,
        args.request_spec.security_groups,
      );
      await update(deps, ctx, uuid, { task_state: 'block_device_mapping' }, ['networking']);
      await update(deps, ctx, uuid, { task_state: 'spawning' }, ['block_device_mapping']);
      await lateGroupCheck(deps, ctx, args);
      const di = toDriverInstance({ ...inst, network_info: networkInfo });
      try {
        await deps.driver.spawn(di, {
          adminPassword: args.admin_password,
          injectedFiles: args.injected_files,
          ...vifWaits(deps, uuid),
        });
      } catch (err) {
        await deps.driver.destroy(di, true).catch(() => {});
        throw err;
      }
      const info = await deps.driver.getInfo(di);
      await update(
        deps,
        ctx,
        uuid,
        {
          vm_state: 'active',
          task_state: null,
          power_state: info.state,
          launched_at: deps.clock.now().toISOString(),
          progress: 0,
        },
        ['spawning'],
      );
      deps.buildStats?.success();
    });
  } catch (err) {
    await buildFailed(deps, ctx, args, err);
  }
}

async function buildFailed(deps: ComputeManagerDeps, ctx: RequestContext, args: BuildArgs, err: unknown) {
  const uuid = args.instance_uuid;
  const { message } = errorText(err);
  deps.log.warn({ err, instance: uuid }, 'build failed');
  if (isNotOurs(err)) return;
  deps.buildStats?.failure();
  // A failed build gives its ports back; a reschedule allocates again on the next host.
  const cache = await deps.conductor.instanceGet(ctx, uuid).then(
    (i) => i.network_info,
    () => [],
  );
  await deallocateNetworks(deps, ctx, uuid, cache);
  if (isGone(err)) {
    await deps.placement.release(uuid).catch(() => {});
    return;
  }
  await deps.placement.release(uuid).catch(() => {});
  const attempts = args.request_spec.retry?.num_attempts ?? 1;
  if (args.host_list.length > 0 && attempts < deps.conf.scheduler.max_attempts) {
    await update(deps, ctx, uuid, { task_state: 'scheduling', host: null, node: null }).catch(() => {});
    await deps.conductor.buildInstances(ctx, { ...args, reason: message, failed_host: deps.host });
    return;
  }
  await recordFault(deps, ctx, uuid, err);
  await update(deps, ctx, uuid, {
    vm_state: 'error',
    task_state: null,
    power_state: PowerState.NOSTATE,
  }).catch(() => {});
}
