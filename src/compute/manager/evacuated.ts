// init_host's _destroy_evacuated_instances: when a compute whose instances were evacuated comes
// back, their guests still on this hypervisor are destroyed (the instance lives elsewhere now) and
// the evacuation migrations are marked completed.

import { adminContext } from '../../rpc/index.ts';
import type { ComputeManagerDeps } from './deps.ts';
import { toDriverInstance } from './driver-instance.ts';
import { setMigration } from './move-ops.ts';

/** Evacuation statuses the source still has to clean up after. */
const PENDING = ['accepted', 'pre-migrating', 'done'];

export async function destroyEvacuatedInstances(deps: ComputeManagerDeps): Promise<number> {
  const ctx = adminContext();
  const migrations = (await deps.conductor.migrationsByHost(ctx, deps.host, PENDING)).filter(
    (m) => m.migration_type === 'evacuation' && m.source_compute === deps.host && m.instance_uuid,
  );
  if (migrations.length === 0) return 0;
  const local = new Set(await deps.driver.listInstanceUuids());
  let destroyed = 0;
  for (const m of migrations) {
    const uuid = m.instance_uuid as string;
    try {
      const inst = await deps.conductor.instanceGet(ctx, uuid, true);
      if (inst.host === deps.host) continue; // still (or again) ours: not evacuated after all
      if (local.has(uuid)) {
        await deps.driver.destroy({ ...toDriverInstance(inst), node: m.source_node }, true);
        destroyed++;
      }
      if (m.status === 'done') await setMigration(deps, ctx, m.id, { status: 'completed' });
    } catch (err) {
      deps.log.warn({ err, instance: uuid, migration: m.id }, 'could not clean up an evacuated instance');
    }
  }
  return destroyed;
}
