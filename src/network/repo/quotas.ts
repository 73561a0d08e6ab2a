// quotas: per-project limits overriding the defaults, and the usage counts they are checked against.
import { toNumber } from '../../db/values.ts';
import type { Db } from '../context.ts';
import { overQuota } from '../faults.ts';

/** Neutron's default quotas (-1: unlimited). */
export const DEFAULT_QUOTAS: Readonly<Record<string, number>> = Object.freeze({
  network: 100,
  subnet: 100,
  port: 500,
  router: 10,
  floatingip: 50,
  security_group: 10,
  security_group_rule: 100,
  subnetpool: -1,
  rbac_policy: 10,
});

export const QUOTA_TABLES = Object.freeze({
  network: 'networks',
  subnet: 'subnets',
  port: 'ports',
  router: 'routers',
  floatingip: 'floatingips',
  security_group: 'security_groups',
  security_group_rule: 'security_group_rules',
} as const);

export type CountedResource = keyof typeof QUOTA_TABLES;

export async function quotasOf(db: Db, project: string): Promise<Record<string, number>> {
  const rows = await db.kysely.selectFrom('quotas').selectAll().where('project_id', '=', project).execute();
  const out: Record<string, number> = { ...DEFAULT_QUOTAS };
  for (const r of rows) out[r.resource] = toNumber(r.hard_limit);
  return out;
}

/** Projects with at least one limit of their own. */
export async function projectsWithQuotas(db: Db): Promise<string[]> {
  const rows = await db.kysely.selectFrom('quotas').select('project_id').distinct().execute();
  return rows.map((r) => r.project_id).sort();
}

export async function setQuotas(db: Db, project: string, limits: Readonly<Record<string, number>>) {
  for (const [resource, limit] of Object.entries(limits)) {
    await db.kysely
      .deleteFrom('quotas')
      .where('project_id', '=', project)
      .where('resource', '=', resource)
      .execute();
    await db.kysely
      .insertInto('quotas')
      .values({ project_id: project, resource, hard_limit: limit })
      .execute();
  }
}

export async function deleteQuotas(db: Db, project: string): Promise<void> {
  await db.kysely.deleteFrom('quotas').where('project_id', '=', project).execute();
}

export async function usage(db: Db, resource: CountedResource, project: string): Promise<number> {
  const r = await db.kysely
    .selectFrom(QUOTA_TABLES[resource])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', project)
    .executeTakeFirst();
  return toNumber(r?.n ?? 0);
}

/** Throws OverQuota when `project` has `adding` more of `resource` than its limit allows. */
export async function checkQuota(db: Db, resource: CountedResource, project: string, adding = 1) {
  const limits = await quotasOf(db, project);
  const limit = limits[resource];
  if (limit < 0) return;
  if ((await usage(db, resource, project)) + adding > limit) throw overQuota(resource);
}
