// terminate_instance: the guest and its disks go, its allocations are released, and the instance
// is soft-deleted in its cell (vm_state deleted). A driver failure leaves the instance in ERROR
// with a fault (and still deletable), as upstream.
import type { Instance } from '../../objects/instance.ts';
import type { RequestContext } from '../../rpc/index.ts';
import type { ComputeManagerDeps } from './deps.ts';
import { toDriverInstance } from './driver-instance.ts';
import { asEvent, recordFault, update } from './instance-ops.ts';
import { deallocateNetworks } from './networking.ts';

export async function terminateInstance(
  deps: ComputeManagerDeps,
  ctx: RequestContext,
  uuid: string,
): Promise<void> {
  let inst: Instance;
  try {
    inst = await deps.conductor.instanceGet(ctx, uuid);
  } catch {
    await deps.placement.release(uuid).catch(() => {});
    return;
  }
  try {
    await asEvent(deps, ctx, uuid, 'terminate_instance', async () => {
      await deps.driver.destroy(toDriverInstance(inst), true);
      await deallocateNetworks(deps, ctx, uuid, inst.network_info);
      await update(deps, ctx, uuid, {
        power_state: 0,
        terminated_at: deps.clock.now().toISOString(),
      });
      await deps.placement.release(uuid);
      await deps.conductor.instanceDestroy(ctx, uuid);
    });
  } catch (err) {
    deps.log.warn({ err, instance: uuid }, 'terminate failed');
    await recordFault(deps, ctx, uuid, err);
    await update(deps, ctx, uuid, { vm_state: 'error', task_state: null }).catch(() => {});
  }
}
