// Shelve on the compute: the guest is powered off and snapshotted to the image the API created
// (task states shelving → shelving_image_pending_upload → shelving_image_uploading), the instance
// is SHELVED; with [DEFAULT] shelved_offload_time 0 it is offloaded at once, else by the periodic
// _poll_shelved_instances once that long has passed (-1: never). Offload removes the guest,
// releases the allocations and clears host/node (SHELVED_OFFLOADED). Unshelve spawns the guest
// here (or powers it on when it was never offloaded) and deletes the shelved image.

import type { Instance } from '../../objects/instance.ts';
import type { RequestContext, RpcMethod } from '../../rpc/index.ts';
import { adminContext } from '../../rpc/index.ts';
import { PowerState } from '../../virt/driver.ts';
import type { ComputeManagerDeps } from './deps.ts';
import { toDriverInstance } from './driver-instance.ts';
import { asEvent, instanceAction, update, vifWaits } from './instance-ops.ts';
import { bindNetworks } from './networking.ts';
import { imageClient, uploadSnapshot } from './snapshot.ts';

const SHELVE_KEYS = ['shelved_at', 'shelved_image_id', 'shelved_host'];

async function offload(
  deps: ComputeManagerDeps,
  ctx: RequestContext,
  inst: Instance,
  expected: (string | null)[],
) {
  await update(deps, ctx, inst.uuid, { task_state: 'shelving_offloading' }, expected);
  await deps.driver.destroy(toDriverInstance(inst), true);
  await deps.placement.release(inst.uuid);
  await bindNetworks(deps, ctx, inst.uuid, '');
  await update(
    deps,
    ctx,
    inst.uuid,
    {
      vm_state: 'shelved_offloaded',
      task_state: null,
      power_state: PowerState.SHUTDOWN,
      host: null,
      node: null,
      availability_zone: inst.availability_zone,
    },
    ['shelving_offloading'],
  );
}

async function shelveInstance(
  deps: ComputeManagerDeps,
  ctx: RequestContext,
  a: { instance_uuid: string; image_id: string | null },
) {
  await instanceAction(deps, ctx, a.instance_uuid, 'shelve_instance', async (inst) => {
    const di = toDriverInstance(inst);
    await deps.driver.powerOff(di, deps.conf.DEFAULT.shutdown_timeout);
    if (a.image_id) {
      await update(deps, ctx, inst.uuid, { task_state: 'shelving_image_pending_upload' }, ['shelving']);
      await update(deps, ctx, inst.uuid, { task_state: 'shelving_image_uploading' }, [
        'shelving_image_pending_upload',
      ]);
      await uploadSnapshot(deps, inst, a.image_id);
    }
    await deps.conductor.systemMetadataSet(ctx, inst.uuid, {
      shelved_at: deps.clock.now().toISOString(),
      shelved_image_id: a.image_id ?? '',
      shelved_host: deps.host,
    });
    await update(
      deps,
      ctx,
      inst.uuid,
      { vm_state: 'shelved', task_state: null, power_state: PowerState.SHUTDOWN },
      ['shelving', 'shelving_image_uploading'],
    );
    if (deps.conf.DEFAULT.shelved_offload_time === 0) await offload(deps, ctx, inst, [null]);
  });
}

async function unshelveInstance(
  deps: ComputeManagerDeps,
  ctx: RequestContext,
  a: { instance_uuid: string; node: string | null },
) {
  await instanceAction(
    deps,
    ctx,
    a.instance_uuid,
    'unshelve_instance',
    async (inst) => {
      await update(
        deps,
        ctx,
        inst.uuid,
        { host: deps.host, node: a.node ?? deps.host, task_state: 'spawning' },
        ['unshelving'],
      );
      await bindNetworks(deps, ctx, inst.uuid, deps.host);
      const di = { ...toDriverInstance(inst), node: a.node ?? deps.host };
      const exists = await deps.driver.getInfo(di).then(
        () => true,
        () => false,
      );
      if (exists) await deps.driver.powerOn(di);
      else await deps.driver.spawn(di, vifWaits(deps, di.uuid));
      const info = await deps.driver.getInfo(di);
      await update(
        deps,
        ctx,
        inst.uuid,
        {
          vm_state: 'active',
          task_state: null,
          power_state: info.state,
          launched_at: deps.clock.now().toISOString(),
        },
        ['spawning'],
      );
      const imageId = inst.system_metadata.shelved_image_id;
      if (imageId) await (await imageClient(deps)).delete(imageId).catch(() => {});
      await deps.conductor.systemMetadataRemove(ctx, inst.uuid, SHELVE_KEYS);
    },
    { vmState: 'shelved_offloaded' },
  );
}

/** _poll_shelved_instances: offloads instances shelved here for shelved_offload_time seconds. */
export async function pollShelvedInstances(deps: ComputeManagerDeps): Promise<void> {
  const wait = deps.conf.DEFAULT.shelved_offload_time;
  if (wait <= 0) return;
  const ctx = adminContext();
  const cutoff = deps.clock.now().getTime() - wait * 1000;
  for (const inst of await deps.conductor.instancesOnHost(ctx, deps.host)) {
    if (inst.vm_state !== 'shelved' || inst.task_state !== null) continue;
    const at = Date.parse(inst.system_metadata.shelved_at ?? '');
    if (Number.isNaN(at) || at > cutoff) continue;
    await asEvent(deps, ctx, inst.uuid, 'shelve_offload_instance', () =>
      offload(deps, ctx, inst, [null]),
    ).catch((err: unknown) => deps.log.warn({ err, instance: inst.uuid }, 'automatic shelve offload failed'));
  }
}

export function shelveMethods(deps: ComputeManagerDeps): Record<string, RpcMethod> {
  return {
    shelve_instance: async (ctx, a: { instance_uuid: string; image_id: string | null }) => {
      await shelveInstance(deps, ctx, a);
      return null;
    },
    shelve_offload_instance: async (ctx, a: { instance_uuid: string }) => {
      await instanceAction(deps, ctx, a.instance_uuid, 'shelve_offload_instance', (inst) =>
        offload(deps, ctx, inst, ['shelving_offloading']),
      );
      return null;
    },
    unshelve_instance: async (ctx, a: { instance_uuid: string; node: string | null }) => {
      await unshelveInstance(deps, ctx, a);
      return null;
    },
  };
}
