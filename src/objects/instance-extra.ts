// instance_extra (cell database): an instance's JSON blobs, one row per instance. `flavor` holds
// the flavor the instance was built with as {"cur": {...}, "old": {...}|null, "new": {...}|null}
// (upstream keeps the same shape, with each flavor wrapped as a versioned object; both read here).
import type { DbHandle } from '../db/connect.ts';
import { insertReturningId } from '../db/insert.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { toDbTime } from '../db/time.ts';

/** The flavor as embedded in an instance (what server views and usage reports show). */
export interface EmbeddedFlavor {
  readonly name: string;
  readonly flavorid: string;
  readonly memory_mb: number;
  readonly vcpus: number;
  readonly root_gb: number;
  readonly ephemeral_gb: number;
  readonly swap: number;
  readonly extra_specs?: Readonly<Record<string, string>>;
  readonly description?: string | null;
}

export interface InstanceFlavors {
  readonly cur: EmbeddedFlavor;
  readonly old: EmbeddedFlavor | null;
  readonly new: EmbeddedFlavor | null;
}

type Db = DbHandle<CellDb>;

/** One embedded flavor, plain or upstream's {"nova_object.data": {...}} form. */
function readFlavor(v: unknown): EmbeddedFlavor | null {
  if (v === null || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const data = (o['nova_object.data'] ?? o) as Record<string, unknown>;
  if (typeof data.name !== 'string') return null;
  const num = (k: string) => (typeof data[k] === 'number' ? (data[k] as number) : 0);
  return Object.freeze({
    name: data.name,
    flavorid: String(data.flavorid ?? ''),
    memory_mb: num('memory_mb'),
    vcpus: num('vcpus'),
    root_gb: num('root_gb'),
    ephemeral_gb: num('ephemeral_gb'),
    swap: num('swap'),
    ...(data.extra_specs && typeof data.extra_specs === 'object'
      ? { extra_specs: Object.freeze({ ...(data.extra_specs as Record<string, string>) }) }
      : {}),
    ...(data.description !== undefined ? { description: (data.description as string | null) ?? null } : {}),
  });
}

export function parseFlavors(text: string | null): InstanceFlavors | null {
  if (!text) return null;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  const cur = readFlavor(raw.cur);
  if (!cur) return null;
  return Object.freeze({ cur, old: readFlavor(raw.old), new: readFlavor(raw.new) });
}

/** Stores the instance's flavors (creating its instance_extra row when missing). */
export async function setFlavors(db: Db, instanceUuid: string, f: InstanceFlavors, now: Date): Promise<void> {
  const flavor = JSON.stringify(f);
  const res = await db.kysely
    .updateTable('instance_extra')
    .set({ flavor, updated_at: toDbTime(now) })
    .where('instance_uuid', '=', instanceUuid)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (res.numUpdatedRows > 0n) return;
  await insertReturningId(db, 'instance_extra', {
    instance_uuid: instanceUuid,
    flavor,
    created_at: toDbTime(now),
  });
}

/** The embedded flavors of these instances (deleted ones too), by instance uuid. */
export async function flavorsOf(
  db: Db,
  instanceUuids: readonly string[],
): Promise<ReadonlyMap<string, InstanceFlavors>> {
  const out = new Map<string, InstanceFlavors>();
  if (instanceUuids.length === 0) return out;
  const rows = await db.kysely
    .selectFrom('instance_extra')
    .select(['instance_uuid', 'flavor'])
    .where('instance_uuid', 'in', [...instanceUuids])
    .execute();
  for (const r of rows) {
    const f = parseFlavors(r.flavor);
    if (f) out.set(r.instance_uuid, f);
  }
  return out;
}
