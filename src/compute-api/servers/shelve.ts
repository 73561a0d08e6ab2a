// shelve, shelveOffload and unshelve as upstream's compute API: SHELVED keeps the guest's host
// (and allocations) until offloaded; unshelve of an offloaded server is scheduled again by the
// conductor, optionally into another availability zone (2.77) or onto a host (2.91).
import { Conflict } from '../../faults/fault.ts';
import type { ImageClient } from '../../image-client/client.ts';
import * as instances from '../../objects/instance.ts';
import { checkLock, checkState } from './lookup.ts';
import { type Acting, computeService, ctxOf, type MoveApiDeps, recordAction } from './move-support.ts';
import { snapshotImageMeta } from './snapshots.ts';

export async function shelve(d: MoveApiDeps, a: Acting, images: ImageClient): Promise<void> {
  const { inst } = a;
  checkLock(inst, a.auth);
  checkState(inst, 'shelve', { vmStates: ['active', 'stopped', 'paused', 'suspended'] });
  if (!inst.host) throw new Conflict(`Instance ${inst.uuid} has no host.`, 'nova.instance_invalid_state');
  const name = `${inst.display_name ?? inst.uuid}-shelved`;
  const image = await images.create(snapshotImageMeta(d, inst, name, 'snapshot', a.auth.user_id));
  await instances.update(a.cell.db, inst.uuid, { task_state: 'shelving' }, d.clock.now(), {
    expectedTaskState: [null],
  });
  await recordAction(d, a, 'shelve');
  await d.backend.compute.cast(ctxOf(a), inst.host, 'shelve_instance', {
    instance_uuid: inst.uuid,
    image_id: image.id,
  });
}

export async function shelveOffload(d: MoveApiDeps, a: Acting): Promise<void> {
  checkLock(a.inst, a.auth);
  checkState(a.inst, 'shelve_offload', { vmStates: ['shelved'] });
  if (!a.inst.host) throw new Conflict(`Instance ${a.inst.uuid} has no host.`, 'nova.instance_invalid_state');
  await instances.update(a.cell.db, a.inst.uuid, { task_state: 'shelving_offloading' }, d.clock.now(), {
    expectedTaskState: [null],
  });
  await recordAction(d, a, 'shelveOffload');
  await d.backend.compute.cast(ctxOf(a), a.inst.host, 'shelve_offload_instance', {
    instance_uuid: a.inst.uuid,
  });
}

export interface UnshelveRequest {
  /** undefined: not given; null (2.91): unpin the zone. */
  readonly availabilityZone?: string | null;
  readonly host?: string | null;
}

export async function unshelve(d: MoveApiDeps, a: Acting, r: UnshelveRequest): Promise<void> {
  const { inst } = a;
  checkLock(inst, a.auth);
  checkState(inst, 'unshelve', { vmStates: ['shelved', 'shelved_offloaded'] });
  const moving = r.availabilityZone !== undefined || (r.host ?? null) !== null;
  if (moving && inst.vm_state !== 'shelved_offloaded')
    throw new Conflict(
      `The unshelve action failed: the instance ${inst.uuid} must be in SHELVED_OFFLOADED state to unshelve it with an availability zone or a host.`,
      'nova.unshelve_instance_invalid_state',
    );
  if (r.host) await computeService(a, r.host);
  const now = d.clock.now();
  await instances.update(
    a.cell.db,
    inst.uuid,
    {
      task_state: 'unshelving',
      ...(r.availabilityZone !== undefined ? { availability_zone: r.availabilityZone } : {}),
    },
    now,
    { expectedTaskState: [null] },
  );
  await recordAction(d, a, 'unshelve');
  await d.backend.conductor.unshelveInstance(ctxOf(a), {
    instance_uuid: inst.uuid,
    ...(r.availabilityZone !== undefined ? { availability_zone: r.availabilityZone } : {}),
    ...(r.host ? { host: r.host } : {}),
  });
}
