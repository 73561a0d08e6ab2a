// Helpers every identity repository shares: Keystone-style ids, the `extra` JSON column, and the
// NULL domain marker global roles carry.
import { randomUUID } from 'node:crypto';
import type { DbHandle } from '../../db/connect.ts';
import type { IdentityDb } from '../../db/tables/identity-db.ts';

export type Db = DbHandle<IdentityDb>;

/** Keystone's ids: uuid4 as 32 hex digits. */
export const newId = (): string => randomUUID().replace(/-/g, '');

/** domain_id stored for global roles (Keystone's `<<keystone.domain.root>>` idea). */
export const NULL_DOMAIN_ID = '<<null>>';

export type Extra = Readonly<Record<string, unknown>>;

export function parseExtra(text: string | null | undefined): Extra {
  if (!text) return Object.freeze({});
  try {
    const v = JSON.parse(text) as unknown;
    return Object.freeze(
      v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {},
    );
  } catch {
    return Object.freeze({});
  }
}

/** The attributes of `body` that are not one of `known` (what Keystone stores in `extra`). */
export function extraOf(body: Readonly<Record<string, unknown>>, known: readonly string[]): Extra {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (!known.includes(k) && k !== 'links') out[k] = v;
  return out;
}

export const mergeExtra = (a: Extra, b: Extra): string => JSON.stringify({ ...a, ...b });
