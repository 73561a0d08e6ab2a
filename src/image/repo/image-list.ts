// The SQL half of GET /v2/images: which images the caller may list (Glance's visibility rules) and
// the plain column filters. Tag, property and time filters, sorting and paging run on the result
// (list-images.ts), which keeps null ordering and marker handling identical on every engine.
import type { ExpressionBuilder } from 'kysely';
import type { ImageDb } from '../../db/tables/image-db.ts';
import type { Image, MemberStatus, Visibility } from '../model.ts';
import { assemble, type Db } from './images.ts';

export interface ListScope {
  readonly admin: boolean;
  /** The caller's project (image owner and member ids are project ids). */
  readonly project: string | undefined;
  readonly memberStatus: MemberStatus | 'all';
  /** The visibility filter; undefined lists the default set (public, own, accepted shared). */
  readonly visibility: Visibility | 'all' | undefined;
}

/** Column filters: each list is an `in:` set; size bounds inclusive. */
export interface ColumnFilters {
  readonly id?: readonly string[];
  readonly name?: readonly string[];
  readonly status?: readonly string[];
  readonly disk_format?: readonly string[];
  readonly container_format?: readonly string[];
  readonly owner?: string;
  readonly protected?: boolean;
  readonly os_hidden?: boolean;
  readonly checksum?: string;
  readonly os_hash_value?: string;
  readonly min_ram?: number;
  readonly min_disk?: number;
  readonly size_min?: number;
  readonly size_max?: number;
}

type Eb = ExpressionBuilder<ImageDb, 'images'>;

function scopeExpr(eb: Eb, scope: ListScope) {
  const p = scope.project;
  const members = eb
    .selectFrom('image_members')
    .select('image_members.image_id')
    .where('image_members.member', '=', p ?? '')
    .$if(scope.memberStatus !== 'all', (q) => q.where('image_members.status', '=', scope.memberStatus));
  const ors = [
    eb('images.visibility', '=', 'public'),
    eb.and([eb('images.visibility', '=', 'shared'), eb('images.id', 'in', members)]),
  ];
  if (p) ors.push(eb('images.owner', '=', p));
  if (scope.visibility === 'community') ors.push(eb('images.visibility', '=', 'community'));
  return eb.or(ors);
}

/** Live images visible to the caller that pass the column filters, with tags and properties. */
export async function selectImages(db: Db, scope: ListScope, f: ColumnFilters): Promise<Image[]> {
  let q = db.kysely.selectFrom('images').selectAll().where('images.deleted', '=', false);
  if (!scope.admin) q = q.where((eb) => scopeExpr(eb, scope));
  if (scope.visibility && scope.visibility !== 'all') q = q.where('images.visibility', '=', scope.visibility);
  const inSets = ['id', 'name', 'status', 'disk_format', 'container_format'] as const;
  for (const col of inSets) {
    const values = f[col];
    if (values)
      q = values.length === 0 ? q.where((eb) => eb.val(1), '=', 0) : q.where(col, 'in', [...values]);
  }
  if (f.owner !== undefined) q = q.where('owner', '=', f.owner);
  if (f.protected !== undefined) q = q.where('protected', '=', f.protected);
  if (f.os_hidden !== undefined) q = q.where('os_hidden', '=', f.os_hidden);
  if (f.checksum !== undefined) q = q.where('checksum', '=', f.checksum);
  if (f.os_hash_value !== undefined) q = q.where('os_hash_value', '=', f.os_hash_value);
  if (f.min_ram !== undefined) q = q.where('min_ram', '=', f.min_ram);
  if (f.min_disk !== undefined) q = q.where('min_disk', '=', f.min_disk);
  if (f.size_min !== undefined) q = q.where('size', '>=', f.size_min);
  if (f.size_max !== undefined) q = q.where('size', '<=', f.size_max);
  return assemble(db, await q.execute());
}
