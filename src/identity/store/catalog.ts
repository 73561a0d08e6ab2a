// The service catalog: regions, services and their endpoints (public/internal/admin).
import { isDuplicateEntry } from '../../db/errors.ts';
import { toBool } from '../../db/values.ts';
import { duplicate, notFound } from '../errors.ts';
import { type Db, type Extra, mergeExtra, newId, parseExtra } from './common.ts';

export interface Region {
  readonly id: string;
  readonly description: string;
  readonly parent_region_id: string | null;
  readonly extra: Extra;
}

export interface Service {
  readonly id: string;
  readonly type: string;
  readonly name: string | null;
  readonly enabled: boolean;
  readonly description: string | null;
  readonly extra: Extra;
}

export type Interface = 'public' | 'internal' | 'admin';
export const INTERFACES: readonly Interface[] = ['public', 'internal', 'admin'];

export interface Endpoint {
  readonly id: string;
  readonly service_id: string;
  readonly interface: Interface;
  readonly region_id: string | null;
  readonly url: string;
  readonly enabled: boolean;
  readonly extra: Extra;
}

// ---- regions
export async function createRegion(db: Db, r: Omit<Region, 'extra'> & { extra?: Extra }): Promise<Region> {
  try {
    await db.kysely
      .insertInto('regions')
      .values({ ...r, extra: JSON.stringify(r.extra ?? {}) })
      .execute();
  } catch (err) {
    if (isDuplicateEntry(err)) throw duplicate('region', `ID ${r.id}`);
    throw err;
  }
  return getRegion(db, r.id);
}

export async function findRegion(db: Db, id: string): Promise<Region | undefined> {
  const r = await db.kysely.selectFrom('regions').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? Object.freeze({ ...r, extra: parseExtra(r.extra) }) : undefined;
}

export async function getRegion(db: Db, id: string): Promise<Region> {
  const r = await findRegion(db, id);
  if (!r) throw notFound('region', id);
  return r;
}

export async function listRegions(db: Db, parentRegionId?: string): Promise<readonly Region[]> {
  let q = db.kysely.selectFrom('regions').selectAll();
  if (parentRegionId !== undefined) q = q.where('parent_region_id', '=', parentRegionId);
  return Object.freeze(
    (await q.orderBy('id').execute()).map((r) => Object.freeze({ ...r, extra: parseExtra(r.extra) })),
  );
}

export async function updateRegion(db: Db, id: string, u: Partial<Omit<Region, 'id'>>): Promise<Region> {
  const cur = await getRegion(db, id);
  await db.kysely
    .updateTable('regions')
    .set({
      description: u.description ?? cur.description,
      parent_region_id: u.parent_region_id === undefined ? cur.parent_region_id : u.parent_region_id,
      extra: mergeExtra(cur.extra, u.extra ?? {}),
    })
    .where('id', '=', id)
    .execute();
  return getRegion(db, id);
}

export async function removeRegion(db: Db, id: string): Promise<void> {
  await db.kysely.deleteFrom('regions').where('id', '=', id).execute();
}

// ---- services
const toService = (r: {
  id: string;
  type: string;
  name: string | null;
  enabled: unknown;
  description: string | null;
  extra: string;
}): Service => Object.freeze({ ...r, enabled: toBool(r.enabled), extra: parseExtra(r.extra) });

export async function createService(
  db: Db,
  s: {
    id?: string;
    type: string;
    name?: string | null;
    enabled?: boolean;
    description?: string | null;
    extra?: Extra;
  },
): Promise<Service> {
  const id = s.id ?? newId();
  await db.kysely
    .insertInto('services')
    .values({
      id,
      type: s.type,
      name: s.name ?? null,
      enabled: s.enabled ?? true,
      description: s.description ?? null,
      extra: JSON.stringify(s.extra ?? {}),
    })
    .execute();
  return getService(db, id);
}

export async function findService(db: Db, id: string): Promise<Service | undefined> {
  const r = await db.kysely.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toService(r) : undefined;
}

export async function getService(db: Db, id: string): Promise<Service> {
  const s = await findService(db, id);
  if (!s) throw notFound('service', id);
  return s;
}

export async function listServices(
  db: Db,
  f: { type?: string; name?: string } = {},
): Promise<readonly Service[]> {
  let q = db.kysely.selectFrom('services').selectAll();
  if (f.type !== undefined) q = q.where('type', '=', f.type);
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  return Object.freeze((await q.orderBy('type').orderBy('id').execute()).map(toService));
}

export async function updateService(db: Db, id: string, u: Partial<Omit<Service, 'id'>>): Promise<Service> {
  const cur = await getService(db, id);
  await db.kysely
    .updateTable('services')
    .set({
      type: u.type ?? cur.type,
      name: u.name === undefined ? cur.name : u.name,
      enabled: u.enabled ?? cur.enabled,
      description: u.description === undefined ? cur.description : u.description,
      extra: mergeExtra(cur.extra, u.extra ?? {}),
    })
    .where('id', '=', id)
    .execute();
  return getService(db, id);
}

/** Deletes the service and its endpoints. */
export async function removeService(db: Db, id: string): Promise<void> {
  await db.kysely.deleteFrom('endpoints').where('service_id', '=', id).execute();
  await db.kysely.deleteFrom('services').where('id', '=', id).execute();
}

// ---- endpoints
const toEndpoint = (r: {
  id: string;
  service_id: string;
  interface: string;
  region_id: string | null;
  url: string;
  enabled: unknown;
  extra: string;
}): Endpoint =>
  Object.freeze({
    ...r,
    interface: r.interface as Interface,
    enabled: toBool(r.enabled),
    extra: parseExtra(r.extra),
  });

export async function createEndpoint(
  db: Db,
  e: Omit<Endpoint, 'id' | 'enabled' | 'extra'> & { id?: string; enabled?: boolean; extra?: Extra },
): Promise<Endpoint> {
  const id = e.id ?? newId();
  await db.kysely
    .insertInto('endpoints')
    .values({
      id,
      service_id: e.service_id,
      interface: e.interface,
      region_id: e.region_id,
      url: e.url,
      enabled: e.enabled ?? true,
      extra: JSON.stringify(e.extra ?? {}),
    })
    .execute();
  return getEndpoint(db, id);
}

export async function getEndpoint(db: Db, id: string): Promise<Endpoint> {
  const r = await db.kysely.selectFrom('endpoints').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('endpoint', id);
  return toEndpoint(r);
}

export interface EndpointFilter {
  readonly service_id?: string;
  readonly interface?: string;
  readonly region_id?: string;
  readonly enabled?: boolean;
}

export async function listEndpoints(db: Db, f: EndpointFilter = {}): Promise<readonly Endpoint[]> {
  let q = db.kysely.selectFrom('endpoints').selectAll();
  if (f.service_id !== undefined) q = q.where('service_id', '=', f.service_id);
  if (f.interface !== undefined) q = q.where('interface', '=', f.interface);
  if (f.region_id !== undefined) q = q.where('region_id', '=', f.region_id);
  if (f.enabled !== undefined) q = q.where('enabled', '=', f.enabled);
  return Object.freeze(
    (await q.orderBy('service_id').orderBy('interface').orderBy('id').execute()).map(toEndpoint),
  );
}

export async function updateEndpoint(
  db: Db,
  id: string,
  u: Partial<Omit<Endpoint, 'id'>>,
): Promise<Endpoint> {
  const cur = await getEndpoint(db, id);
  await db.kysely
    .updateTable('endpoints')
    .set({
      service_id: u.service_id ?? cur.service_id,
      interface: u.interface ?? cur.interface,
      region_id: u.region_id === undefined ? cur.region_id : u.region_id,
      url: u.url ?? cur.url,
      enabled: u.enabled ?? cur.enabled,
      extra: mergeExtra(cur.extra, u.extra ?? {}),
    })
    .where('id', '=', id)
    .execute();
  return getEndpoint(db, id);
}

export async function removeEndpoint(db: Db, id: string): Promise<void> {
  await db.kysely.deleteFrom('endpoints').where('id', '=', id).execute();
}
