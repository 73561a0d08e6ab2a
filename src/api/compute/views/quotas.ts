// Quota set and limits views: which resources each microversion shows.
import { QUOTA_RESOURCES, type QuotaValues } from '../../../compute-api/quotas.ts';
import type { ApiVersion } from '../microversion.ts';
import { NETWORK_QUOTAS, PERSONALITY_QUOTAS } from '../schemas/quotas.ts';

export function filteredQuotas(mv: ApiVersion): readonly string[] {
  if (mv.atLeast('2.57')) return [...NETWORK_QUOTAS, ...PERSONALITY_QUOTAS];
  if (mv.atLeast('2.36')) return NETWORK_QUOTAS;
  return [];
}

/** Quota class sets filter the network quotas from 2.50 and show server groups only from 2.50. */
export function filteredClassQuotas(mv: ApiVersion): readonly string[] {
  if (mv.atLeast('2.57')) return [...NETWORK_QUOTAS, ...PERSONALITY_QUOTAS];
  if (mv.atLeast('2.50')) return NETWORK_QUOTAS;
  return ['server_groups', 'server_group_members'];
}

export function quotaSetView<T>(
  id: string | undefined,
  values: Readonly<Record<string, T>>,
  filtered: readonly string[],
) {
  const out: Record<string, unknown> = id === undefined ? {} : { id };
  for (const r of QUOTA_RESOURCES) if (!filtered.includes(r) && r in values) out[r] = values[r];
  return out;
}

export const limitsOf = (q: QuotaValues) =>
  Object.fromEntries(Object.entries(q).map(([k, v]) => [k, v.limit]));

export const detailOf = (q: QuotaValues) =>
  Object.fromEntries(
    Object.entries(q).map(([k, v]) => [k, { limit: v.limit, in_use: v.in_use ?? 0, reserved: 0 }]),
  );

const LIMIT_NAMES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  ram: ['maxTotalRAMSize'],
  instances: ['maxTotalInstances'],
  cores: ['maxTotalCores'],
  key_pairs: ['maxTotalKeypairs'],
  floating_ips: ['maxTotalFloatingIps'],
  metadata_items: ['maxServerMeta', 'maxImageMeta'],
  injected_files: ['maxPersonality'],
  injected_file_content_bytes: ['maxPersonalitySize'],
  security_groups: ['maxSecurityGroups'],
  security_group_rules: ['maxSecurityGroupRules'],
  server_groups: ['maxServerGroups'],
  server_group_members: ['maxServerGroupMembers'],
});

const USED: readonly (readonly [string, string])[] = [
  ['totalRAMUsed', 'ram'],
  ['totalCoresUsed', 'cores'],
  ['totalInstancesUsed', 'instances'],
  ['totalFloatingIpsUsed', 'floating_ips'],
  ['totalSecurityGroupsUsed', 'security_groups'],
  ['totalServerGroupsUsed', 'server_groups'],
];

function filteredLimits(mv: ApiVersion): readonly string[] {
  const v236 = ['floating_ips', 'security_groups', 'security_group_rules'];
  if (mv.atLeast('2.57')) return [...v236, 'injected_files', 'injected_file_content_bytes'];
  if (mv.atLeast('2.36')) return v236;
  return [];
}

export function limitsView(q: QuotaValues, mv: ApiVersion) {
  const filtered = filteredLimits(mv);
  const absolute: Record<string, number> = {};
  for (const [res, names] of Object.entries(LIMIT_NAMES)) {
    if (!(res in q) || filtered.includes(res)) continue;
    for (const n of names) if (!(n === 'maxImageMeta' && mv.atLeast('2.39'))) absolute[n] = q[res].limit;
  }
  for (const [name, res] of USED)
    if (res in q && !filtered.includes(res)) absolute[name] = q[res].in_use ?? 0;
  return { limits: { rate: [], absolute } };
}
