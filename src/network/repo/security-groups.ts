// security_groups and security_group_rules, and the per-project `default` group: made on first use
// with Neutron's default rules (egress IPv4/IPv6 to anywhere, ingress IPv4/IPv6 from members of
// the same group). default_security_groups' primary key keeps it one per project under races.
import type { Selectable } from 'kysely';
import { newUuid } from '../../common/ids.ts';
import { isDuplicateEntry } from '../../db/errors.ts';
import type { SecurityGroupRulesTable, SecurityGroupsTable } from '../../db/tables/network-db.ts';
import { toDbTime } from '../../db/time.ts';
import { inTransaction } from '../../db/transaction.ts';
import { toBool, toNumberOrNull } from '../../db/values.ts';
import type { Db } from '../context.ts';
import type { SecurityGroup, SecurityGroupRule } from '../model.ts';
import { stamp, standardOf } from './rows.ts';

export type NewRule = Omit<SecurityGroupRule, 'created_at' | 'updated_at' | 'revision_number'>;

const toRule = (r: Selectable<SecurityGroupRulesTable>): SecurityGroupRule =>
  Object.freeze({
    ...standardOf(r),
    security_group_id: r.security_group_id,
    remote_group_id: r.remote_group_id,
    direction: r.direction,
    ethertype: r.ethertype,
    protocol: r.protocol,
    port_range_min: toNumberOrNull(r.port_range_min),
    port_range_max: toNumberOrNull(r.port_range_max),
    remote_ip_prefix: r.remote_ip_prefix,
    description: r.description,
  });

async function assemble(db: Db, rows: readonly Selectable<SecurityGroupsTable>[]): Promise<SecurityGroup[]> {
  if (rows.length === 0) return [];
  const rules = await db.kysely
    .selectFrom('security_group_rules')
    .selectAll()
    .where(
      'security_group_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const by = new Map<string, SecurityGroupRule[]>();
  for (const r of rules) by.set(r.security_group_id, [...(by.get(r.security_group_id) ?? []), toRule(r)]);
  return rows.map((r) =>
    Object.freeze({
      ...standardOf(r),
      name: r.name,
      description: r.description,
      stateful: toBool(r.stateful),
      rules: Object.freeze(by.get(r.id) ?? []),
    }),
  );
}

export async function findGroup(db: Db, id: string): Promise<SecurityGroup | undefined> {
  const row = await db.kysely
    .selectFrom('security_groups')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? (await assemble(db, [row]))[0] : undefined;
}

export async function listGroups(db: Db, project: string | undefined): Promise<SecurityGroup[]> {
  let q = db.kysely.selectFrom('security_groups').selectAll();
  if (project !== undefined) q = q.where('project_id', '=', project);
  return assemble(db, await q.execute());
}

export async function insertRule(db: Db, r: NewRule, now: Date): Promise<void> {
  await db.kysely
    .insertInto('security_group_rules')
    .values({ ...r, ...stamp(now) })
    .execute();
}

const egressRules = (groupId: string, project: string): NewRule[] =>
  ['IPv4', 'IPv6'].map((ethertype) => ({
    id: newUuid(),
    project_id: project,
    security_group_id: groupId,
    remote_group_id: null,
    direction: 'egress',
    ethertype,
    protocol: null,
    port_range_min: null,
    port_range_max: null,
    remote_ip_prefix: null,
    description: '',
  }));

export async function createGroup(
  db: Db,
  g: { id: string; project_id: string; name: string; description: string; stateful: boolean },
  now: Date,
  extraRules: (id: string) => NewRule[] = () => [],
): Promise<SecurityGroup> {
  await inTransaction(db, async (trx) => {
    await trx.kysely
      .insertInto('security_groups')
      .values({ ...g, ...stamp(now) })
      .execute();
    for (const r of [...egressRules(g.id, g.project_id), ...extraRules(g.id)]) await insertRule(trx, r, now);
  });
  return (await findGroup(db, g.id)) as SecurityGroup;
}

/** The project's default group, made (with its rules) when it does not exist yet. */
export async function ensureDefaultGroup(db: Db, project: string, now: Date): Promise<string> {
  const existing = await db.kysely
    .selectFrom('default_security_groups')
    .select('security_group_id')
    .where('project_id', '=', project)
    .executeTakeFirst();
  if (existing) return existing.security_group_id;
  const id = newUuid();
  try {
    await inTransaction(db, async (trx) => {
      await trx.kysely
        .insertInto('security_groups')
        .values({
          id,
          project_id: project,
          name: 'default',
          description: 'Default security group',
          stateful: true,
          ...stamp(now),
        })
        .execute();
      await trx.kysely
        .insertInto('default_security_groups')
        .values({ project_id: project, security_group_id: id })
        .execute();
      const ingress = ['IPv4', 'IPv6'].map((ethertype) => ({
        ...egressRules(id, project)[0],
        id: newUuid(),
        direction: 'ingress',
        ethertype,
        remote_group_id: id,
      }));
      for (const r of [...egressRules(id, project), ...ingress]) await insertRule(trx, r, now);
    });
    return id;
  } catch (err) {
    if (!isDuplicateEntry(err)) throw err;
    return ensureDefaultGroup(db, project, now);
  }
}

export async function isDefaultGroup(db: Db, id: string): Promise<boolean> {
  const r = await db.kysely
    .selectFrom('default_security_groups')
    .select('project_id')
    .where('security_group_id', '=', id)
    .executeTakeFirst();
  return r !== undefined;
}

export async function updateGroup(
  db: Db,
  g: SecurityGroup,
  c: { name?: string; description?: string; stateful?: boolean },
  now: Date,
) {
  await db.kysely
    .updateTable('security_groups')
    .set({ ...c, updated_at: toDbTime(now), revision_number: g.revision_number + 1 })
    .where('id', '=', g.id)
    .execute();
  return (await findGroup(db, g.id)) as SecurityGroup;
}

export async function groupInUse(db: Db, id: string): Promise<boolean> {
  const r = await db.kysely
    .selectFrom('port_security_groups')
    .select('port_id')
    .where('security_group_id', '=', id)
    .executeTakeFirst();
  return r !== undefined;
}

export async function deleteGroup(db: Db, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.kysely.deleteFrom('security_group_rules').where('remote_group_id', '=', id).execute();
    await trx.kysely.deleteFrom('security_group_rules').where('security_group_id', '=', id).execute();
    await trx.kysely.deleteFrom('default_security_groups').where('security_group_id', '=', id).execute();
    await trx.kysely.deleteFrom('security_groups').where('id', '=', id).execute();
  });
}

export async function findRule(db: Db, id: string): Promise<SecurityGroupRule | undefined> {
  const row = await db.kysely
    .selectFrom('security_group_rules')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toRule(row) : undefined;
}

export async function listRules(db: Db, project: string | undefined): Promise<SecurityGroupRule[]> {
  let q = db.kysely.selectFrom('security_group_rules').selectAll();
  if (project !== undefined) q = q.where('project_id', '=', project);
  return (await q.execute()).map(toRule);
}

export async function deleteRule(db: Db, id: string): Promise<void> {
  await db.kysely.deleteFrom('security_group_rules').where('id', '=', id).execute();
}
