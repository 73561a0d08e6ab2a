// Nova's DbQuotaDriver over the API database: limits come from per-user, per-project, class and
// default ([quota] options, overridden by quota class 'default'); usage from the cells and the API
// database. NoopQuotaDriver makes every limit -1 (unlimited).
import type { NovaConf } from '../config/index.ts';
import type { Database } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import * as instanceGroups from '../objects/instance-group.ts';
import * as keypairs from '../objects/keypair.ts';
import * as quotaDb from '../objects/quota.ts';
import type { UsageCounter } from './usage.ts';

/** Upstream's resources and the [quota] option giving each default (none: -1). */
const RESOURCE_FLAGS: Readonly<Record<string, keyof NovaConf['quota'] | undefined>> = Object.freeze({
  cores: 'cores',
  fixed_ips: undefined,
  floating_ips: undefined,
  injected_file_content_bytes: 'injected_file_content_bytes',
  injected_file_path_bytes: 'injected_file_path_length',
  injected_files: 'injected_files',
  instances: 'instances',
  key_pairs: 'key_pairs',
  metadata_items: 'metadata_items',
  ram: 'ram',
  security_group_rules: undefined,
  security_groups: undefined,
  server_group_members: 'server_group_members',
  server_groups: 'server_groups',
});

/** Every quota resource, sorted as upstream's QuotaEngine.resources. */
export const QUOTA_RESOURCES: readonly string[] = Object.freeze(Object.keys(RESOURCE_FLAGS).sort());

const COUNTABLE = new Set([
  'cores',
  'instances',
  'ram',
  'key_pairs',
  'server_groups',
  'server_group_members',
]);

export interface QuotaValue {
  readonly limit: number;
  readonly in_use?: number;
  readonly remains?: number;
}

export type QuotaValues = Readonly<Record<string, QuotaValue>>;

export interface QuotaDeps {
  readonly conf: NovaConf;
  readonly apiDb: Database<ApiDb>;
  readonly usage: UsageCounter;
}

export const UNLIMITED = -1;
const isUnlimited = (v: number) => v <= UNLIMITED;
const sumQ = (a: number, b: number) => (isUnlimited(a) || isUnlimited(b) ? UNLIMITED : a + b);
const subQ = (a: number, b: number) => (isUnlimited(a) || isUnlimited(b) ? UNLIMITED : a - b);

function noop(d: QuotaDeps): boolean {
  return d.conf.quota.driver === 'nova.quota.NoopQuotaDriver';
}

function configDefault(d: QuotaDeps, resource: string): number {
  const flag = RESOURCE_FLAGS[resource];
  return flag ? (d.conf.quota[flag] as number) : UNLIMITED;
}

/** Limits of a quota class; resources it does not set keep the [quota] option value. */
export async function getClassQuotas(
  d: QuotaDeps,
  className: string,
): Promise<Readonly<Record<string, number>>> {
  const rows = noop(d) ? {} : await quotaDb.getClassLimits(d.apiDb, className);
  const out: Record<string, number> = {};
  for (const r of QUOTA_RESOURCES) out[r] = noop(d) ? UNLIMITED : (rows[r] ?? configDefault(d, r));
  return Object.freeze(out);
}

/** The defaults: [quota] options, overridden by quota class 'default'. */
export function getDefaults(d: QuotaDeps): Promise<Readonly<Record<string, number>>> {
  return getClassQuotas(d, 'default');
}

async function usages(d: QuotaDeps, projectId: string, userId?: string): Promise<Record<string, number>> {
  const counts = await d.usage.countInstances(projectId, userId);
  const inst = userId !== undefined && counts.user ? counts.user : counts.project;
  const groups = await instanceGroups.countByProject(d.apiDb, projectId, userId);
  return {
    instances: inst.instances,
    cores: inst.cores,
    ram: inst.ram,
    server_groups: groups,
    key_pairs: 0,
    server_group_members: 0,
  };
}

function process(
  d: QuotaDeps,
  defaults: Readonly<Record<string, number>>,
  quotas: Readonly<Record<string, number>>,
  used?: Readonly<Record<string, number>>,
): Record<string, QuotaValue> {
  const out: Record<string, QuotaValue> = {};
  for (const r of QUOTA_RESOURCES) {
    const limit = noop(d) ? UNLIMITED : (quotas[r] ?? defaults[r]);
    out[r] = used ? { limit, in_use: COUNTABLE.has(r) ? (used[r] ?? 0) : 0 } : { limit };
  }
  return out;
}

export async function getProjectQuotas(
  d: QuotaDeps,
  projectId: string,
  opts: { readonly usages?: boolean; readonly remains?: boolean } = {},
): Promise<QuotaValues> {
  const project = await quotaDb.getProjectLimits(d.apiDb, projectId);
  const used = opts.usages ? await usages(d, projectId) : undefined;
  const out = process(d, await getDefaults(d), project, used);
  if (opts.remains) {
    const remains: Record<string, number> = Object.fromEntries(QUOTA_RESOURCES.map((r) => [r, out[r].limit]));
    for (const u of await quotaDb.getAllUserLimits(d.apiDb, projectId))
      if (u.resource in remains) remains[u.resource] -= u.hard_limit;
    for (const r of QUOTA_RESOURCES) out[r] = { ...out[r], remains: remains[r] };
  }
  return Object.freeze(out);
}

export async function getUserQuotas(
  d: QuotaDeps,
  projectId: string,
  userId: string,
  opts: { readonly usages?: boolean } = {},
): Promise<QuotaValues> {
  const user = await quotaDb.getUserLimits(d.apiDb, projectId, userId);
  const project = await quotaDb.getProjectLimits(d.apiDb, projectId);
  const merged = { ...project, ...user };
  const used = opts.usages ? await usages(d, projectId, userId) : undefined;
  return Object.freeze(process(d, await getDefaults(d), merged, used));
}

export interface Settable {
  readonly minimum: number;
  readonly maximum: number;
}

/** The range a new limit may take: at least what is used, at most what the project has left. */
export async function getSettableQuotas(
  d: QuotaDeps,
  projectId: string,
  userId?: string,
): Promise<Readonly<Record<string, Settable>>> {
  const project = await getProjectQuotas(d, projectId, { usages: true, remains: true });
  const out: Record<string, Settable> = {};
  if (userId !== undefined) {
    const set = await quotaDb.getUserLimits(d.apiDb, projectId, userId);
    const user = await getUserQuotas(d, projectId, userId, { usages: true });
    for (const r of QUOTA_RESOURCES)
      out[r] = { minimum: user[r].in_use ?? 0, maximum: sumQ(project[r].remains ?? 0, set[r] ?? 0) };
  } else {
    for (const r of QUOTA_RESOURCES) {
      const v = project[r];
      out[r] = { minimum: Math.max(subQ(v.limit, v.remains ?? 0), v.in_use ?? 0), maximum: UNLIMITED };
    }
  }
  return Object.freeze(out);
}

/** Throws the given error when creating `count` more key pairs would pass the user's limit. */
export async function keypairsLeft(d: QuotaDeps, projectId: string, userId: string): Promise<number> {
  const limit = (await getUserQuotas(d, projectId, userId)).key_pairs.limit;
  if (isUnlimited(limit)) return Number.POSITIVE_INFINITY;
  return limit - (await keypairs.countByUser(d.apiDb, userId));
}

/** Server groups the project may still create (-1 limit: unlimited). */
export async function serverGroupsLeft(d: QuotaDeps, projectId: string, userId: string): Promise<number> {
  const limit = (await getUserQuotas(d, projectId, userId)).server_groups.limit;
  if (isUnlimited(limit)) return Number.POSITIVE_INFINITY;
  return limit - (await instanceGroups.countByProject(d.apiDb, projectId));
}
