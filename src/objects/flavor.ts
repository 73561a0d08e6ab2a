// flavors (+ flavor_extra_specs, flavor_projects) in the API database. flavorid is the public id
// (any string); id is the row number used by extra specs and access lists.
import type { Selectable } from 'kysely';
import type { DbHandle } from '../db/connect.ts';
import { isDuplicateEntry } from '../db/errors.ts';
import { insertReturningId } from '../db/insert.ts';
import type { ApiDb, FlavorsTable } from '../db/tables/api-db.ts';
import { fromDbTime, toDbTime } from '../db/time.ts';
import { inTransaction } from '../db/transaction.ts';
import { toBool, toNumber, toNumberOrNull } from '../db/values.ts';
import { Conflict, NotFound } from '../faults/fault.ts';

export interface Flavor {
  readonly id: number;
  readonly flavorid: string;
  readonly name: string;
  readonly memory_mb: number;
  readonly vcpus: number;
  readonly root_gb: number;
  readonly ephemeral_gb: number;
  readonly swap: number;
  readonly rxtx_factor: number;
  readonly vcpu_weight: number | null;
  readonly disabled: boolean;
  readonly is_public: boolean;
  readonly description: string | null;
  readonly extra_specs: Readonly<Record<string, string>>;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
}

export interface NewFlavor {
  readonly flavorid: string;
  readonly name: string;
  readonly memory_mb: number;
  readonly vcpus: number;
  readonly root_gb: number;
  readonly ephemeral_gb?: number;
  readonly swap?: number;
  readonly rxtx_factor?: number;
  readonly is_public?: boolean;
  readonly description?: string | null;
}

export type SortKey =
  | 'created_at'
  | 'description'
  | 'disabled'
  | 'ephemeral_gb'
  | 'flavorid'
  | 'id'
  | 'is_public'
  | 'memory_mb'
  | 'name'
  | 'root_gb'
  | 'rxtx_factor'
  | 'swap'
  | 'updated_at'
  | 'vcpu_weight'
  | 'vcpus';

export interface FlavorFilter {
  /** true: public only; false: private only; undefined/null: all. */
  readonly isPublic?: boolean | null;
  readonly disabled?: boolean;
  readonly minMemoryMb?: number;
  readonly minRootGb?: number;
  readonly name?: string;
  /** With isPublic true: also private flavors this project has access to. */
  readonly projectId?: string;
}

export interface FlavorListOptions {
  readonly filter?: FlavorFilter;
  readonly sortKey?: SortKey;
  readonly sortDir?: 'asc' | 'desc';
  readonly limit?: number;
  readonly marker?: string;
}

type Db = DbHandle<ApiDb>;

export const flavorNotFound = (flavorId: string) =>
  new NotFound(`Flavor ${flavorId} could not be found.`, 'nova.flavor_not_found');

export const markerNotFound = (marker: string) =>
  new NotFound(`Marker ${marker} could not be found.`, 'nova.marker_not_found');

function toFlavor(row: Selectable<FlavorsTable>, specs: Record<string, string>): Flavor {
  return Object.freeze({
    id: toNumber(row.id),
    flavorid: row.flavorid,
    name: row.name,
    memory_mb: toNumber(row.memory_mb),
    vcpus: toNumber(row.vcpus),
    root_gb: toNumberOrNull(row.root_gb) ?? 0,
    ephemeral_gb: toNumberOrNull(row.ephemeral_gb) ?? 0,
    swap: toNumber(row.swap),
    rxtx_factor: toNumberOrNull(row.rxtx_factor) ?? 1,
    vcpu_weight: toNumberOrNull(row.vcpu_weight),
    disabled: toBool(row.disabled),
    is_public: toBool(row.is_public),
    description: row.description,
    extra_specs: Object.freeze(specs),
    created_at: fromDbTime(row.created_at),
    updated_at: fromDbTime(row.updated_at),
  });
}

async function specsFor(db: Db, ids: readonly number[]): Promise<Map<number, Record<string, string>>> {
  const out = new Map<number, Record<string, string>>(ids.map((id) => [id, {}]));
  if (ids.length === 0) return out;
  const rows = await db.kysely
    .selectFrom('flavor_extra_specs')
    .select(['flavor_id', 'key', 'value'])
    .where('flavor_id', 'in', ids)
    .orderBy('key')
    .execute();
  for (const r of rows) {
    const m = out.get(toNumber(r.flavor_id));
    if (m) m[r.key] = r.value ?? '';
  }
  return out;
}

async function withSpecs(db: Db, rows: readonly Selectable<FlavorsTable>[]): Promise<Flavor[]> {
  const specs = await specsFor(
    db,
    rows.map((r) => toNumber(r.id)),
  );
  return rows.map((r) => toFlavor(r, specs.get(toNumber(r.id)) ?? {}));
}

export async function create(db: Db, f: NewFlavor, now: Date): Promise<Flavor> {
  return inTransaction(db, async (trx) => {
    const clash = await trx.kysely
      .selectFrom('flavors')
      .select(['name', 'flavorid'])
      .where((eb) => eb.or([eb('name', '=', f.name), eb('flavorid', '=', f.flavorid)]))
      .executeTakeFirst();
    if (clash?.flavorid === f.flavorid)
      throw new Conflict(`Flavor with ID ${f.flavorid} already exists.`, 'nova.flavor_id_exists');
    if (clash) throw new Conflict(`Flavor with name ${f.name} already exists.`, 'nova.flavor_exists');
    try {
      await insertReturningId(trx, 'flavors', {
        flavorid: f.flavorid,
        name: f.name,
        memory_mb: f.memory_mb,
        vcpus: f.vcpus,
        root_gb: f.root_gb,
        ephemeral_gb: f.ephemeral_gb ?? 0,
        swap: f.swap ?? 0,
        rxtx_factor: f.rxtx_factor ?? 1,
        is_public: f.is_public ?? true,
        disabled: false,
        description: f.description ?? null,
        created_at: toDbTime(now),
      });
    } catch (err) {
      if (isDuplicateEntry(err))
        throw new Conflict(`Flavor with ID ${f.flavorid} already exists.`, 'nova.flavor_id_exists');
      throw err;
    }
    return getByFlavorId(trx, f.flavorid);
  });
}

export async function findByFlavorId(db: Db, flavorId: string): Promise<Flavor | undefined> {
  const row = await db.kysely
    .selectFrom('flavors')
    .selectAll()
    .where('flavorid', '=', flavorId)
    .executeTakeFirst();
  return row ? (await withSpecs(db, [row]))[0] : undefined;
}

export async function getByFlavorId(db: Db, flavorId: string): Promise<Flavor> {
  const f = await findByFlavorId(db, flavorId);
  if (!f) throw flavorNotFound(flavorId);
  return f;
}

/** By row id (what instances.instance_type_id and migrations refer to). */
export async function findById(db: Db, id: number): Promise<Flavor | undefined> {
  const row = await db.kysely.selectFrom('flavors').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withSpecs(db, [row]))[0] : undefined;
}

export async function findByName(db: Db, name: string): Promise<Flavor | undefined> {
  const row = await db.kysely.selectFrom('flavors').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? (await withSpecs(db, [row]))[0] : undefined;
}

/** Flavors as the API lists them: filtered, sorted (then by id), after the marker, at most limit. */
export async function list(db: Db, opts: FlavorListOptions = {}): Promise<readonly Flavor[]> {
  const f = opts.filter ?? {};
  const key = opts.sortKey ?? 'flavorid';
  const dir = opts.sortDir ?? 'asc';
  let q = db.kysely.selectFrom('flavors').selectAll();
  if (f.disabled !== undefined) q = q.where('disabled', '=', f.disabled);
  if (f.minMemoryMb !== undefined) q = q.where('memory_mb', '>=', f.minMemoryMb);
  if (f.minRootGb !== undefined) q = q.where('root_gb', '>=', f.minRootGb);
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  if (f.isPublic === true && f.projectId !== undefined) {
    const project = f.projectId;
    q = q.where((eb) =>
      eb.or([
        eb('is_public', '=', true),
        eb(
          'id',
          'in',
          eb.selectFrom('flavor_projects').select('flavor_id').where('project_id', '=', project),
        ),
      ]),
    );
  } else if (f.isPublic === true || f.isPublic === false) q = q.where('is_public', '=', f.isPublic);
  const rows = await q.orderBy(key, dir).orderBy('id', dir).execute();
  let start = 0;
  if (opts.marker !== undefined) {
    const i = rows.findIndex((r) => r.flavorid === opts.marker);
    if (i < 0) throw markerNotFound(opts.marker);
    start = i + 1;
  }
  const page = opts.limit === undefined ? rows.slice(start) : rows.slice(start, start + opts.limit);
  return Object.freeze(await withSpecs(db, page));
}

export async function setDescription(
  db: Db,
  flavorId: string,
  description: string | null,
  now: Date,
): Promise<Flavor> {
  const res = await db.kysely
    .updateTable('flavors')
    .set({ description, updated_at: toDbTime(now) })
    .where('flavorid', '=', flavorId)
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n) throw flavorNotFound(flavorId);
  return getByFlavorId(db, flavorId);
}

export async function destroy(db: Db, flavorId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const f = await getByFlavorId(trx, flavorId);
    await trx.kysely.deleteFrom('flavor_extra_specs').where('flavor_id', '=', f.id).execute();
    await trx.kysely.deleteFrom('flavor_projects').where('flavor_id', '=', f.id).execute();
    await trx.kysely.deleteFrom('flavors').where('id', '=', f.id).execute();
  });
}

/** Adds or replaces extra specs. */
export async function updateExtraSpecs(
  db: Db,
  flavorId: string,
  specs: Readonly<Record<string, string>>,
  now: Date,
): Promise<Flavor> {
  return inTransaction(db, async (trx) => {
    const f = await getByFlavorId(trx, flavorId);
    for (const [key, value] of Object.entries(specs)) {
      const res = await trx.kysely
        .updateTable('flavor_extra_specs')
        .set({ value, updated_at: toDbTime(now) })
        .where('flavor_id', '=', f.id)
        .where('key', '=', key)
        .executeTakeFirst();
      if (res.numUpdatedRows === 0n)
        await insertReturningId(trx, 'flavor_extra_specs', {
          flavor_id: f.id,
          key,
          value,
          created_at: toDbTime(now),
        });
    }
    return getByFlavorId(trx, flavorId);
  });
}

export async function deleteExtraSpec(db: Db, flavorId: string, key: string): Promise<void> {
  const f = await getByFlavorId(db, flavorId);
  const res = await db.kysely
    .deleteFrom('flavor_extra_specs')
    .where('flavor_id', '=', f.id)
    .where('key', '=', key)
    .executeTakeFirst();
  if (res.numDeletedRows === 0n)
    throw new NotFound(
      `Flavor ${flavorId} has no extra specs with key ${key}.`,
      'nova.flavor_extra_specs_not_found',
    );
}

/** Projects with access to a (private) flavor. */
export async function listProjects(db: Db, flavorId: string): Promise<readonly string[]> {
  const f = await getByFlavorId(db, flavorId);
  const rows = await db.kysely
    .selectFrom('flavor_projects')
    .select('project_id')
    .where('flavor_id', '=', f.id)
    .orderBy('id')
    .execute();
  return Object.freeze(rows.map((r) => r.project_id));
}

export async function addProject(db: Db, flavorId: string, projectId: string, now: Date): Promise<void> {
  const f = await getByFlavorId(db, flavorId);
  try {
    await insertReturningId(db, 'flavor_projects', {
      flavor_id: f.id,
      project_id: projectId,
      created_at: toDbTime(now),
    });
  } catch (err) {
    if (isDuplicateEntry(err))
      throw new Conflict(
        `Flavor access already exists for flavor ${flavorId} and project ${projectId} combination.`,
        'nova.flavor_access_exists',
      );
    throw err;
  }
}

export async function removeProject(db: Db, flavorId: string, projectId: string): Promise<void> {
  const f = await getByFlavorId(db, flavorId);
  const res = await db.kysely
    .deleteFrom('flavor_projects')
    .where('flavor_id', '=', f.id)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  if (res.numDeletedRows === 0n)
    throw new NotFound(
      `Flavor access not found for ${flavorId} / ${projectId} combination.`,
      'nova.flavor_access_not_found',
    );
}

/** Whether a project may use a flavor (public, or listed in flavor_projects). */
export async function projectHasAccess(db: Db, flavor: Flavor, projectId: string): Promise<boolean> {
  if (flavor.is_public) return true;
  const row = await db.kysely
    .selectFrom('flavor_projects')
    .select('id')
    .where('flavor_id', '=', flavor.id)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return row !== undefined;
}
