// The conductor's database road for computes during moves: migration records (read, update,
// list by host and status), the instance's flavors (cur/old/new while a resize waits for
// confirm or revert) and system metadata keys removed (shelve bookkeeping).
import type { Clock } from '../common/clock.ts';
import type { Database } from '../db/connect.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import * as instances from '../objects/instance.ts';
import type { EmbeddedFlavor } from '../objects/instance-extra.ts';
import { setFlavors } from '../objects/instance-extra.ts';
import * as meta from '../objects/instance-metadata.ts';
import * as migrations from '../objects/migration.ts';
import type { RpcMethod } from '../rpc/index.ts';

export interface MoveDbDeps {
  readonly cellDb: Database<CellDb>;
  readonly clock: Clock;
}

export interface FlavorsArgs {
  readonly uuid: string;
  readonly cur: EmbeddedFlavor;
  readonly old: EmbeddedFlavor | null;
  readonly new: EmbeddedFlavor | null;
  /** instances columns following the current flavor (memory_mb, vcpus, …) and its id. */
  readonly instance_type_id?: number | null;
}

const wire = <T>(v: T): unknown => JSON.parse(JSON.stringify(v));

export function moveDbMethods(deps: MoveDbDeps): Record<string, RpcMethod> {
  const db = deps.cellDb;
  const now = () => deps.clock.now();
  return {
    migration_get: async (_ctx, a: { id: number }) => wire(await migrations.getById(db, a.id)),
    migration_update: async (_ctx, a: { id: number; changes: migrations.MigrationChanges }) =>
      wire(await migrations.update(db, a.id, a.changes, now())),
    migrations_by_host: async (_ctx, a: { host: string; status: string[]; migration_type?: string }) =>
      wire(
        await migrations.list(db, {
          host: a.host,
          status: a.status,
          ...(a.migration_type ? { migration_type: a.migration_type } : {}),
        }),
      ),
    migrations_of_instance: async (_ctx, a: { uuid: string; status?: string[] }) =>
      wire(await migrations.list(db, { instance_uuid: a.uuid, ...(a.status ? { status: a.status } : {}) })),
    instance_set_flavors: async (_ctx, a: FlavorsArgs) => {
      await setFlavors(db, a.uuid, { cur: a.cur, old: a.old, new: a.new }, now());
      await instances.update(
        db,
        a.uuid,
        {
          memory_mb: a.cur.memory_mb,
          vcpus: a.cur.vcpus,
          root_gb: a.cur.root_gb,
          ephemeral_gb: a.cur.ephemeral_gb,
          ...(a.instance_type_id !== undefined ? { instance_type_id: a.instance_type_id } : {}),
        },
        now(),
      );
      return null;
    },
    instance_system_metadata_remove: async (_ctx, a: { uuid: string; keys: string[] }) => {
      await meta.removeKeys(db, 'instance_system_metadata', a.uuid, a.keys, now());
      return null;
    },
  };
}
