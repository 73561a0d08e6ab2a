// Resource providers: identity, name, generation and place in a provider tree. Owns its SQL.
// Every write that changes what a provider offers bumps its generation with a compare-and-set
// (UPDATE … WHERE generation = seen), so concurrent writers never both win.
import type { Selectable } from 'kysely';
import { isDuplicateEntry } from '../../db/errors.ts';
import type { ResourceProvidersTable } from '../../db/tables/placement-db.ts';
import { fromDbTime, toDbTime } from '../../db/time.ts';
import { toNumber, toNumberOrNull } from '../../db/values.ts';
import type { PlacementDbHandle as Db } from '../context.ts';
import { conflict, ErrorCode, GenerationRace, notFound } from '../errors.ts';

export interface ResourceProvider {
  readonly id: number;
  readonly uuid: string;
  readonly name: string;
  readonly generation: number;
  readonly parent_provider_id: number | null;
  readonly root_provider_id: number;
  readonly parent_provider_uuid: string | null;
  readonly root_provider_uuid: string;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
}

type Row = Selectable<ResourceProvidersTable> & { parent_uuid: string | null; root_uuid: string | null };

export function toProvider(r: Row): ResourceProvider {
  const id = toNumber(r.id);
  return Object.freeze({
    id,
    uuid: r.uuid,
    name: r.name,
    generation: toNumber(r.generation),
    parent_provider_id: toNumberOrNull(r.parent_provider_id),
    root_provider_id: toNumberOrNull(r.root_provider_id) ?? id,
    parent_provider_uuid: r.parent_uuid,
    root_provider_uuid: r.root_uuid ?? r.uuid,
    created_at: fromDbTime(r.created_at),
    updated_at: fromDbTime(r.updated_at),
  });
}

/** SELECT of providers with their parent's and root's uuid. */
export function providerQuery(db: Db) {
  return db.kysely
    .selectFrom('resource_providers as rp')
    .leftJoin('resource_providers as parent', 'parent.id', 'rp.parent_provider_id')
    .leftJoin('resource_providers as root', 'root.id', 'rp.root_provider_id')
    .selectAll('rp')
    .select(['parent.uuid as parent_uuid', 'root.uuid as root_uuid']);
}

export async function findProvider(db: Db, uuid: string): Promise<ResourceProvider | undefined> {
  const row = await providerQuery(db).where('rp.uuid', '=', uuid).executeTakeFirst();
  return row ? toProvider(row as Row) : undefined;
}

export async function findProviderById(db: Db, id: number): Promise<ResourceProvider | undefined> {
  const row = await providerQuery(db).where('rp.id', '=', id).executeTakeFirst();
  return row ? toProvider(row as Row) : undefined;
}

/** The provider, or 404 with upstream's message. */
export async function getProvider(db: Db, uuid: string, message?: string): Promise<ResourceProvider> {
  const rp = await findProvider(db, uuid);
  if (!rp) throw notFound(message ?? `No resource provider with uuid ${uuid} found`);
  return rp;
}

export async function providersByUuid(
  db: Db,
  uuids: readonly string[],
): Promise<ReadonlyMap<string, ResourceProvider>> {
  if (uuids.length === 0) return new Map();
  const rows = await providerQuery(db)
    .where('rp.uuid', 'in', [...uuids])
    .execute();
  return new Map(rows.map((r) => [r.uuid, toProvider(r as Row)]));
}

export const concurrentUpdateMessage =
  'Another thread concurrently updated the data. Please retry your update';

/** Bumps the generation if it is still `seen`; else ConcurrentUpdate. Returns the new generation. */
export async function bumpGeneration(db: Db, rp: Pick<ResourceProvider, 'id' | 'generation'>, now: Date) {
  const res = await db.kysely
    .updateTable('resource_providers')
    .set((eb) => ({ generation: eb('generation', '+', 1), updated_at: toDbTime(now) }))
    .where('id', '=', rp.id)
    .where('generation', '=', rp.generation)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new GenerationRace(concurrentUpdateMessage);
  return rp.generation + 1;
}

export interface NewProvider {
  readonly uuid: string;
  readonly name: string;
  readonly parent_provider_uuid?: string | null;
}

function duplicate(err: unknown, p: NewProvider) {
  const msg = String((err as Error).message ?? '');
  const which = /name/i.test(msg) && !/uuid/i.test(msg) ? `name: ${p.name}` : `uuid: ${p.uuid}`;
  return conflict(`Conflicting resource provider ${which} already exists.`, ErrorCode.DUPLICATE_NAME);
}

export async function createProvider(db: Db, p: NewProvider, now: Date): Promise<ResourceProvider> {
  let parent: ResourceProvider | undefined;
  if (p.parent_provider_uuid) {
    parent = await findProvider(db, p.parent_provider_uuid);
    if (!parent) throw new ObjectActionError('parent provider UUID does not exist.');
  }
  if ((await findProvider(db, p.uuid)) !== undefined) throw duplicate(new Error('uuid'), p);
  const byName = await db.kysely
    .selectFrom('resource_providers')
    .select('id')
    .where('name', '=', p.name)
    .executeTakeFirst();
  if (byName) throw duplicate(new Error('name'), p);
  try {
    await db.kysely
      .insertInto('resource_providers')
      .values({
        uuid: p.uuid,
        name: p.name,
        generation: 0,
        parent_provider_id: parent?.id ?? null,
        root_provider_id: parent?.root_provider_id ?? null,
        created_at: toDbTime(now),
        updated_at: toDbTime(now),
      })
      .execute();
  } catch (err) {
    if (isDuplicateEntry(err)) throw duplicate(err, p);
    throw err;
  }
  if (!parent) {
    await db.kysely
      .updateTable('resource_providers')
      .set((eb) => ({ root_provider_id: eb.ref('id') }))
      .where('uuid', '=', p.uuid)
      .execute();
  }
  return getProvider(db, p.uuid);
}

/** A provider change that breaks a tree rule (upstream ObjectActionError → 400). */
export class ObjectActionError extends Error {}

/** Ids of the provider and every provider below it. */
export async function subtreeIds(db: Db, rp: ResourceProvider): Promise<readonly number[]> {
  const rows = await db.kysely
    .selectFrom('resource_providers')
    .select(['id', 'parent_provider_id'])
    .where('root_provider_id', '=', rp.root_provider_id)
    .execute();
  const children = new Map<number, number[]>();
  for (const r of rows) {
    const parent = toNumberOrNull(r.parent_provider_id);
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), toNumber(r.id)]);
  }
  const out: number[] = [];
  const walk = (id: number) => {
    out.push(id);
    for (const c of children.get(id) ?? []) walk(c);
  };
  walk(rp.id);
  return out;
}

export interface ProviderUpdate {
  readonly name?: string;
  /** undefined: unchanged; null: become a root (1.37). */
  readonly parent_provider_uuid?: string | null;
}

async function moveTree(db: Db, rp: ResourceProvider, parent: ResourceProvider | null, now: Date) {
  const ids = await subtreeIds(db, rp);
  if (parent && ids.includes(parent.id))
    throw new ObjectActionError('creating loop in the provider tree is not allowed.');
  const newRoot = parent ? parent.root_provider_id : rp.id;
  await db.kysely
    .updateTable('resource_providers')
    .set({ parent_provider_id: parent?.id ?? null, updated_at: toDbTime(now) })
    .where('id', '=', rp.id)
    .execute();
  await db.kysely
    .updateTable('resource_providers')
    .set({ root_provider_id: newRoot })
    .where('id', 'in', [...ids])
    .execute();
}

async function reparent(db: Db, rp: ResourceProvider, parentUuid: string | null, allow: boolean, now: Date) {
  if (parentUuid === null) {
    if (rp.parent_provider_uuid === null) return;
    if (!allow) throw new ObjectActionError('un-parenting a provider is not currently allowed.');
    return moveTree(db, rp, null, now);
  }
  if (parentUuid === rp.parent_provider_uuid) return;
  const parent = await findProvider(db, parentUuid);
  if (!parent) throw new ObjectActionError('parent provider UUID does not exist.');
  if (rp.parent_provider_uuid !== null && !allow)
    throw new ObjectActionError('re-parenting a provider is not currently allowed.');
  if (parent.id === rp.id) throw new ObjectActionError('creating loop in the provider tree is not allowed.');
  return moveTree(db, rp, parent, now);
}

export async function updateProvider(
  db: Db,
  rp: ResourceProvider,
  change: ProviderUpdate,
  allowReparenting: boolean,
  now: Date,
): Promise<ResourceProvider> {
  if (change.parent_provider_uuid !== undefined)
    await reparent(db, rp, change.parent_provider_uuid, allowReparenting, now);
  if (change.name !== undefined && change.name !== rp.name) {
    try {
      await db.kysely
        .updateTable('resource_providers')
        .set({ name: change.name, updated_at: toDbTime(now) })
        .where('id', '=', rp.id)
        .execute();
    } catch (err) {
      if (isDuplicateEntry(err))
        throw conflict(
          `Conflicting resource provider ${change.name} already exists.`,
          ErrorCode.DUPLICATE_NAME,
        );
      throw err;
    }
  }
  return getProvider(db, rp.uuid);
}

export async function deleteProvider(db: Db, rp: ResourceProvider): Promise<void> {
  const alloc = await db.kysely
    .selectFrom('allocations')
    .select('id')
    .where('resource_provider_id', '=', rp.id)
    .limit(1)
    .executeTakeFirst();
  if (alloc)
    throw conflict(
      `Unable to delete resource provider ${rp.uuid}: Resource provider has allocations.`,
      ErrorCode.PROVIDER_IN_USE,
    );
  const child = await db.kysely
    .selectFrom('resource_providers')
    .select('id')
    .where('parent_provider_id', '=', rp.id)
    .limit(1)
    .executeTakeFirst();
  if (child)
    throw conflict(
      `Unable to delete parent resource provider ${rp.uuid}: It has child resource providers.`,
      ErrorCode.PROVIDER_CANNOT_DELETE_PARENT,
    );
  const k = db.kysely;
  await k.deleteFrom('inventories').where('resource_provider_id', '=', rp.id).execute();
  await k.deleteFrom('resource_provider_traits').where('resource_provider_id', '=', rp.id).execute();
  await k.deleteFrom('resource_provider_aggregates').where('resource_provider_id', '=', rp.id).execute();
  await k.deleteFrom('resource_providers').where('id', '=', rp.id).execute();
}
