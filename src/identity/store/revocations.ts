// Token revocation events, persisted (Keystone's revocation_event): a token is revoked when it was
// issued at or before an event's issued_before and matches every field the event sets.
import { fromDbTimeStrict, toDbTime } from '../../db/time.ts';
import type { Db } from './common.ts';

export interface RevocationEvent {
  readonly audit_id: string | null;
  readonly user_id: string | null;
  readonly project_id: string | null;
  readonly domain_id: string | null;
  readonly issued_before: Date;
}

export type NewRevocation = Partial<Omit<RevocationEvent, 'issued_before'>> & {
  readonly issued_before: Date;
};

export async function add(db: Db, e: NewRevocation, now: Date): Promise<void> {
  await db.kysely
    .insertInto('revocation_events')
    .values({
      audit_id: e.audit_id ?? null,
      user_id: e.user_id ?? null,
      project_id: e.project_id ?? null,
      domain_id: e.domain_id ?? null,
      issued_before: toDbTime(e.issued_before),
      revoked_at: toDbTime(now),
    })
    .execute();
}

/** Events that can still match a live token (issued_before later than the oldest live token). */
export async function listSince(db: Db, since: Date): Promise<readonly RevocationEvent[]> {
  const rows = await db.kysely
    .selectFrom('revocation_events')
    .select(['audit_id', 'user_id', 'project_id', 'domain_id', 'issued_before'])
    .where('issued_before', '>=', toDbTime(since))
    .execute();
  return Object.freeze(
    rows.map((r) =>
      Object.freeze({
        audit_id: r.audit_id,
        user_id: r.user_id,
        project_id: r.project_id,
        domain_id: r.domain_id,
        issued_before: fromDbTimeStrict(r.issued_before),
      }),
    ),
  );
}

/** Drops events older than any token could be (Keystone's revoke-event pruning). */
export async function prune(db: Db, before: Date): Promise<void> {
  await db.kysely.deleteFrom('revocation_events').where('issued_before', '<', toDbTime(before)).execute();
}

export interface TokenFacts {
  readonly audit_ids: readonly string[];
  readonly user_id: string;
  readonly project_id?: string;
  readonly domain_id?: string;
  readonly issued_at: Date;
}

export function isRevoked(events: readonly RevocationEvent[], t: TokenFacts): boolean {
  return events.some(
    (e) =>
      t.issued_at.getTime() <= e.issued_before.getTime() &&
      (e.audit_id === null || e.audit_id === t.audit_ids[0]) &&
      (e.user_id === null || e.user_id === t.user_id) &&
      (e.project_id === null || e.project_id === t.project_id) &&
      (e.domain_id === null || e.domain_id === t.domain_id),
  );
}
