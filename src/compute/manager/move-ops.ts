// Helpers of the compute's move operations: the migration as the driver sees it, casting to the
// other compute, migration status updates, and allocation hand-over through placement.
import type { Instance } from '../../objects/instance.ts';
import type { EmbeddedFlavor } from '../../objects/instance-extra.ts';
import type { Migration, MigrationChanges } from '../../objects/migration.ts';
import type { RequestContext } from '../../rpc/index.ts';
import type { MoveTarget } from '../../virt/driver.ts';
import type { ComputeClient } from '../rpcapi.ts';
import type { ComputeManagerDeps } from './deps.ts';

export function moveTarget(m: Migration, newFlavor: EmbeddedFlavor): MoveTarget {
  const source = m.source_compute ?? '';
  const dest = m.dest_compute ?? '';
  return {
    sourceHost: source,
    destHost: dest,
    destNode: m.dest_node ?? dest,
    newFlavor,
    sameHost: source === dest,
  };
}

export function computes(deps: ComputeManagerDeps): ComputeClient {
  if (!deps.computes) throw new Error('This compute has no RPC client for other computes.');
  return deps.computes;
}

export const setMigration = (
  deps: ComputeManagerDeps,
  ctx: RequestContext,
  id: number,
  changes: MigrationChanges,
): Promise<Migration> => deps.conductor.migrationUpdate(ctx, id, changes);

/** Moves allocations between consumers (logs instead of failing: the move itself is done). */
export async function moveAllocations(
  deps: ComputeManagerDeps,
  from: string | null,
  to: string,
): Promise<void> {
  if (!from || !deps.placement.move) return;
  try {
    await deps.placement.move(from, to);
  } catch (err) {
    deps.log.warn({ err, from, to }, 'could not move allocations');
  }
}

/** Releases the consumer's allocations (logged on failure). */
export async function releaseAllocations(deps: ComputeManagerDeps, consumer: string | null): Promise<void> {
  if (!consumer) return;
  await deps.placement
    .release(consumer)
    .catch((err: unknown) => deps.log.warn({ err, consumer }, 'could not release allocations'));
}

/** The vm_state the instance had before the move (system metadata old_vm_state), active by default. */
export const oldVmState = (inst: Instance): string => inst.system_metadata.old_vm_state ?? 'active';
