// console_auth_tokens (cell database): one row per console URL handed out. The token itself is
// never stored, only its SHA-256 (hex); a console proxy finds the connection by hashing the token it
// is given. A token is valid until `expires` (unix seconds) — [consoleauth] token_ttl after issue.
import { createHash, randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { DbHandle } from '../db/connect.ts';
import { isDuplicateEntry } from '../db/errors.ts';
import { insertReturningId } from '../db/insert.ts';
import type { CellDb, ConsoleAuthTokensTable } from '../db/tables/cell-db.ts';
import { toDbTime } from '../db/time.ts';
import { toNumber, toNumberOrNull } from '../db/values.ts';
import { Conflict } from '../faults/fault.ts';

/** Where the proxy connects once the token checks out (the compute's console endpoint). */
export interface ConsoleConnection {
  readonly console_type: string;
  readonly host: string;
  readonly port: number;
  readonly tls_port?: number | null;
  readonly internal_access_path?: string | null;
  readonly instance_uuid: string;
  readonly access_url_base?: string | null;
}

export interface ConsoleAuthToken extends ConsoleConnection {
  readonly id: number;
  readonly token_hash: string;
  readonly tls_port: number | null;
  readonly internal_access_path: string | null;
  readonly access_url_base: string | null;
  /** Unix seconds. */
  readonly expires: number;
}

type Db = DbHandle<CellDb>;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

const unixSeconds = (d: Date): number => Math.floor(d.getTime() / 1000);

function toToken(r: Selectable<ConsoleAuthTokensTable>): ConsoleAuthToken {
  return Object.freeze({
    id: toNumber(r.id),
    token_hash: r.token_hash,
    console_type: r.console_type,
    host: r.host,
    port: toNumber(r.port),
    tls_port: toNumberOrNull(r.tls_port),
    internal_access_path: r.internal_access_path,
    instance_uuid: r.instance_uuid,
    access_url_base: r.access_url_base,
    expires: toNumber(r.expires),
  });
}

/**
 * Stores a new authorization valid for `ttlSeconds` and returns the (unhashed) token with the row.
 * The token is a random UUID, as upstream's.
 */
export async function authorize(
  db: Db,
  conn: ConsoleConnection,
  ttlSeconds: number,
  now: Date,
): Promise<{ readonly token: string; readonly record: ConsoleAuthToken }> {
  const token = randomUUID();
  const fields = {
    token_hash: hashToken(token),
    console_type: conn.console_type,
    host: conn.host,
    port: conn.port,
    tls_port: conn.tls_port ?? null,
    internal_access_path: conn.internal_access_path ?? null,
    instance_uuid: conn.instance_uuid,
    expires: unixSeconds(now) + ttlSeconds,
    access_url_base: conn.access_url_base ?? null,
  };
  let id: number;
  try {
    id = await insertReturningId(db, 'console_auth_tokens', { ...fields, created_at: toDbTime(now) });
  } catch (err) {
    if (isDuplicateEntry(err)) throw new Conflict('The token is already in use.', 'nova.token_in_use');
    throw err;
  }
  return { token, record: Object.freeze({ id, ...fields }) };
}

/**
 * The URL a user opens: for noVNC the token rides inside the `path` query parameter (noVNC ≥ 1.1
 * reads it there), for every other console type it is a `token` query parameter.
 */
export function accessUrl(consoleType: string, base: string, token: string): string {
  if (consoleType === 'novnc') {
    const q = base.indexOf('?');
    const hash = base.indexOf('#');
    const end = hash >= 0 ? hash : base.length;
    const head = q >= 0 && q < end ? base.slice(0, q) : base.slice(0, end);
    const params = new URLSearchParams(q >= 0 && q < end ? base.slice(q + 1, end) : '');
    params.set('path', `${params.get('path') ?? ''}?token=${token}`);
    return `${head}?${params.toString()}${base.slice(end)}`;
  }
  return `${base}?token=${token}`;
}

/** The authorization of this token if it exists and has not expired (for that instance if given). */
export async function validate(
  db: Db,
  token: string,
  now: Date,
  instanceUuid?: string,
): Promise<ConsoleAuthToken | undefined> {
  let q = db.kysely
    .selectFrom('console_auth_tokens')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .where('expires', '>', unixSeconds(now));
  if (instanceUuid !== undefined) q = q.where('instance_uuid', '=', instanceUuid);
  const row = await q.executeTakeFirst();
  return row ? toToken(row) : undefined;
}

/** The authorization of this token whatever its expiry (a console proxy says why it refuses). */
export async function findByToken(db: Db, token: string): Promise<ConsoleAuthToken | undefined> {
  const row = await db.kysely
    .selectFrom('console_auth_tokens')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  return row ? toToken(row) : undefined;
}

/**
 * Uses an authorization up (a token opens one console connection): deletes its row. True for the
 * one caller that removed it; false when it was already gone (another connection used it).
 */
export async function consume(db: Db, id: number): Promise<boolean> {
  const res = await db.kysely.deleteFrom('console_auth_tokens').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

/** Removes every authorization of an instance (it was deleted, moved or rebuilt). */
export async function destroyAllForInstance(db: Db, instanceUuid: string): Promise<number> {
  const res = await db.kysely
    .deleteFrom('console_auth_tokens')
    .where('instance_uuid', '=', instanceUuid)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Removes expired authorizations (of one host's consoles when given). */
export async function destroyExpired(db: Db, now: Date, host?: string): Promise<number> {
  let q = db.kysely.deleteFrom('console_auth_tokens').where('expires', '<=', unixSeconds(now));
  if (host !== undefined) q = q.where('host', '=', host);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}
