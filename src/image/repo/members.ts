// image_members: the projects an image with visibility 'shared' is shared with, each with the
// member's own status (pending → accepted / rejected).
import type { Selectable } from 'kysely';
import type { DbHandle } from '../../db/connect.ts';
import { isDuplicateEntry } from '../../db/errors.ts';
import type { ImageDb, ImageMembersTable } from '../../db/tables/image-db.ts';
import { fromDbTimeStrict, toDbTime } from '../../db/time.ts';
import { memberDuplicated } from '../faults.ts';
import type { ImageMember, MemberStatus } from '../model.ts';

type Db = DbHandle<ImageDb>;

function toMember(row: Selectable<ImageMembersTable>): ImageMember {
  return Object.freeze({
    image_id: row.image_id,
    member_id: row.member,
    status: row.status as MemberStatus,
    created_at: fromDbTimeStrict(row.created_at),
    updated_at: fromDbTimeStrict(row.updated_at ?? row.created_at),
  });
}

export async function listMembers(db: Db, imageId: string): Promise<ImageMember[]> {
  const rows = await db.kysely
    .selectFrom('image_members')
    .selectAll()
    .where('image_id', '=', imageId)
    .orderBy('id')
    .execute();
  return rows.map(toMember);
}

export async function findMember(db: Db, imageId: string, member: string): Promise<ImageMember | undefined> {
  const row = await db.kysely
    .selectFrom('image_members')
    .selectAll()
    .where('image_id', '=', imageId)
    .where('member', '=', member)
    .executeTakeFirst();
  return row ? toMember(row) : undefined;
}

export async function addMember(db: Db, imageId: string, member: string, now: Date): Promise<ImageMember> {
  const ts = toDbTime(now);
  try {
    await db.kysely
      .insertInto('image_members')
      .values({
        image_id: imageId,
        member,
        status: 'pending',
        can_share: false,
        created_at: ts,
        updated_at: ts,
      })
      .execute();
  } catch (err) {
    if (isDuplicateEntry(err)) throw memberDuplicated(member, imageId);
    throw err;
  }
  return (await findMember(db, imageId, member)) as ImageMember;
}

export async function setMemberStatus(
  db: Db,
  imageId: string,
  member: string,
  status: MemberStatus,
  now: Date,
): Promise<ImageMember | undefined> {
  await db.kysely
    .updateTable('image_members')
    .set({ status, updated_at: toDbTime(now) })
    .where('image_id', '=', imageId)
    .where('member', '=', member)
    .execute();
  return findMember(db, imageId, member);
}

export async function deleteMember(db: Db, imageId: string, member: string): Promise<boolean> {
  const res = await db.kysely
    .deleteFrom('image_members')
    .where('image_id', '=', imageId)
    .where('member', '=', member)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
