// Usages: what is allocated per provider (every inventoried class, 0 when unused) and per
// project/user (optionally by consumer type, 1.38). Owns its SQL.
import { sql } from 'kysely';
import { toNumber } from '../../db/values.ts';
import type { PlacementDbHandle as Db } from '../context.ts';

export async function providerUsages(db: Db, providerId: number): Promise<Readonly<Record<string, number>>> {
  const rows = await db.kysely
    .selectFrom('inventories as i')
    .innerJoin('resource_classes as rc', 'rc.id', 'i.resource_class_id')
    .select([
      'rc.name',
      sql<number>`(select coalesce(sum(a.used), 0) from allocations a
        where a.resource_provider_id = i.resource_provider_id and a.resource_class_id = i.resource_class_id)`.as(
        'used',
      ),
    ])
    .where('i.resource_provider_id', '=', providerId)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.name, toNumber(r.used)]));
}

export interface UsageFilter {
  readonly projectId: string;
  readonly userId?: string;
}

function scoped(db: Db, f: UsageFilter) {
  let q = db.kysely
    .selectFrom('allocations as a')
    .innerJoin('consumers as c', 'c.uuid', 'a.consumer_id')
    .innerJoin('projects as p', 'p.id', 'c.project_id')
    .innerJoin('resource_classes as rc', 'rc.id', 'a.resource_class_id')
    .leftJoin('consumer_types as ct', 'ct.id', 'c.consumer_type_id')
    .where('p.external_id', '=', f.projectId);
  if (f.userId) q = q.innerJoin('users as u', 'u.id', 'c.user_id').where('u.external_id', '=', f.userId);
  return q;
}

/** Total usage per class of a project (and user). */
export async function totalUsages(db: Db, f: UsageFilter): Promise<Readonly<Record<string, number>>> {
  const rows = await scoped(db, f)
    .select(['rc.name', (eb) => eb.fn.sum<number>('a.used').as('used')])
    .groupBy('rc.name')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.name, toNumber(r.used)]));
}

export type TypedUsages = Readonly<Record<string, Readonly<Record<string, number>>>>;

/**
 * 1.38: usages grouped by consumer type, each with consumer_count. `type` 'all' sums every type
 * under "all", 'unknown' only consumers without a type; another name only that type.
 */
export async function usagesByConsumerType(db: Db, f: UsageFilter, type?: string): Promise<TypedUsages> {
  let q = scoped(db, f);
  if (type === 'unknown') q = q.where('c.consumer_type_id', 'is', null);
  else if (type && type !== 'all') q = q.where('ct.name', '=', type);
  const label =
    type === 'all' || type === 'unknown'
      ? sql<string>`${sql.lit(type)}`
      : sql<string>`coalesce(ct.name, 'unknown')`;
  const usage = await q
    .select([label.as('ctype'), 'rc.name', (eb) => eb.fn.sum<number>('a.used').as('used')])
    .groupBy([sql`1`, 'rc.name'])
    .execute();
  const counts = await q
    .select([label.as('ctype'), sql<number>`count(distinct a.consumer_id)`.as('n')])
    .groupBy(sql`1`)
    .execute();
  const out: Record<string, Record<string, number>> = {};
  for (const r of usage) {
    out[r.ctype] = out[r.ctype] ?? {};
    out[r.ctype][r.name] = toNumber(r.used);
  }
  for (const r of counts) if (out[r.ctype]) out[r.ctype].consumer_count = toNumber(r.n);
  return out;
}
