// key_pairs in the API database: one name per user; the private key is never stored.
import type { Selectable } from 'kysely';
import type { DbHandle } from '../db/connect.ts';
import { isDuplicateEntry } from '../db/errors.ts';
import { insertReturningId } from '../db/insert.ts';
import type { ApiDb, KeyPairsTable } from '../db/tables/api-db.ts';
import { fromDbTime, toDbTime } from '../db/time.ts';
import { toNumber } from '../db/values.ts';
import { Conflict, NotFound } from '../faults/fault.ts';

export type KeypairType = 'ssh' | 'x509';

export interface Keypair {
  readonly id: number;
  readonly name: string;
  readonly user_id: string;
  readonly fingerprint: string;
  readonly public_key: string;
  readonly type: KeypairType;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
}

export interface NewKeypair {
  readonly name: string;
  readonly user_id: string;
  readonly fingerprint: string;
  readonly public_key: string;
  readonly type: KeypairType;
}

type Db = DbHandle<ApiDb>;

export const keypairNotFound = (name: string, userId: string) =>
  new NotFound(`Keypair ${name} not found for user ${userId}`, 'nova.keypair_not_found');

function toKeypair(row: Selectable<KeyPairsTable>): Keypair {
  return Object.freeze({
    id: toNumber(row.id),
    name: row.name,
    user_id: row.user_id,
    fingerprint: row.fingerprint ?? '',
    public_key: row.public_key ?? '',
    type: row.type === 'x509' ? 'x509' : 'ssh',
    created_at: fromDbTime(row.created_at),
    updated_at: fromDbTime(row.updated_at),
  });
}

export async function create(db: Db, k: NewKeypair, now: Date): Promise<Keypair> {
  try {
    await insertReturningId(db, 'key_pairs', { ...k, created_at: toDbTime(now) });
  } catch (err) {
    if (isDuplicateEntry(err))
      throw new Conflict(`Key pair '${k.name}' already exists.`, 'nova.keypair_exists');
    throw err;
  }
  return get(db, k.user_id, k.name);
}

export async function find(db: Db, userId: string, name: string): Promise<Keypair | undefined> {
  const row = await db.kysely
    .selectFrom('key_pairs')
    .selectAll()
    .where('user_id', '=', userId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? toKeypair(row) : undefined;
}

export async function get(db: Db, userId: string, name: string): Promise<Keypair> {
  const k = await find(db, userId, name);
  if (!k) throw keypairNotFound(name, userId);
  return k;
}

/** A user's key pairs by name; after `marker` (a name), at most `limit`. */
export async function listByUser(
  db: Db,
  userId: string,
  opts: { readonly limit?: number; readonly marker?: string } = {},
): Promise<readonly Keypair[]> {
  let q = db.kysely.selectFrom('key_pairs').selectAll().where('user_id', '=', userId);
  if (opts.marker !== undefined) {
    const m = await find(db, userId, opts.marker);
    if (!m) throw new NotFound(`Marker ${opts.marker} could not be found.`, 'nova.marker_not_found');
    q = q.where('name', '>', m.name);
  }
  q = q.orderBy('name');
  if (opts.limit !== undefined) q = q.limit(opts.limit);
  return Object.freeze((await q.execute()).map(toKeypair));
}

export async function countByUser(db: Db, userId: string): Promise<number> {
  const row = await db.kysely
    .selectFrom('key_pairs')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return toNumber(row.n);
}

export async function destroy(db: Db, userId: string, name: string): Promise<void> {
  const res = await db.kysely
    .deleteFrom('key_pairs')
    .where('user_id', '=', userId)
    .where('name', '=', name)
    .executeTakeFirst();
  if (res.numDeletedRows === 0n) throw keypairNotFound(name, userId);
}
