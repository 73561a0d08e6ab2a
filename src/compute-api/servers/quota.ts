// Server quota (instances, cores, ram) for a project and its user: how many of a multi-create fit,
// and the recheck after the build requests exist (two concurrent creates can both pass the first
// check; the recheck makes the loser back out, so usage never ends above the limit).
import { OverQuota } from '../../api/compute/faults/faults.ts';
import type { EmbeddedFlavor } from '../../objects/instance-extra.ts';
import { getProjectQuotas, getUserQuotas, type QuotaDeps, UNLIMITED } from '../quotas.ts';

const RESOURCES = ['instances', 'cores', 'ram'] as const;

function need(flavor: EmbeddedFlavor, n: number): Record<(typeof RESOURCES)[number], number> {
  return { instances: n, cores: flavor.vcpus * n, ram: flavor.memory_mb * n };
}

/** Most of `max` instances that fit (≥ min), else OverQuota naming what is over, as upstream words it. */
export async function instancesAllowed(
  d: QuotaDeps,
  projectId: string,
  userId: string,
  flavor: EmbeddedFlavor,
  min: number,
  max: number,
  /** Instances of this request already counted in usage (the recheck). */
  alreadyCounted = 0,
): Promise<number> {
  // Count once: the project's and the user's usage come from one pass over the cells.
  const counted = d.usage.countInstances(projectId, userId);
  const once: QuotaDeps = {
    ...d,
    usage: {
      countInstances: async (_p, u) => (u === undefined ? { project: (await counted).project } : counted),
    },
  };
  const project = await getProjectQuotas(once, projectId, { usages: true });
  const user = await getUserQuotas(once, projectId, userId, { usages: true });
  const perOne = need(flavor, 1);
  let fit = max;
  const over: string[] = [];
  let detail = { req: 0, used: 0, allowed: 0 };
  for (const scope of [project, user])
    for (const r of RESOURCES) {
      const q = scope[r];
      if (!q || q.limit === UNLIMITED || perOne[r] === 0) continue;
      const used = (q.in_use ?? 0) - perOne[r] * alreadyCounted;
      const room = Math.floor((q.limit - used) / perOne[r]);
      if (room < min) {
        if (!over.includes(r)) over.push(r);
        detail = { req: perOne[r] * min, used, allowed: q.limit };
      }
      fit = Math.min(fit, room);
    }
  if (over.length > 0) {
    const names = over.join(', ');
    throw new OverQuota(
      `Quota exceeded for ${names}: Requested ${detail.req}, but already used ${detail.used} of ${detail.allowed} ${names}`,
      403,
    );
  }
  return Math.max(min, Math.min(max, fit));
}

/**
 * The per-server limits upstream checks at create: metadata_items, injected_files (+ path and
 * content sizes) — 403 with upstream's words — and, without a network service, only the
 * `default` security group exists (400 for any other name).
 */
// biome-ignore lint/suspicious/noExplicitAny: validated body.server
export async function checkCreateLimits(d: QuotaDeps, projectId: string, s: any): Promise<void> {
  const q = await getProjectQuotas(d, projectId);
  const limit = (r: string) => q[r]?.limit ?? UNLIMITED;
  const md = Object.keys(s.metadata ?? {}).length;
  if (limit('metadata_items') !== UNLIMITED && md > limit('metadata_items'))
    throw new OverQuota(`Maximum number of metadata items exceeds ${limit('metadata_items')}`, 403);
  const files = (s.personality ?? []) as { path: string; contents: string }[];
  if (limit('injected_files') !== UNLIMITED && files.length > limit('injected_files'))
    throw new OverQuota('Personality file limit exceeded', 403);
  for (const f of files) {
    if (
      limit('injected_file_path_bytes') !== UNLIMITED &&
      Buffer.byteLength(f.path) > limit('injected_file_path_bytes')
    )
      throw new OverQuota('Personality file path exceeds maximum 255', 403);
    const size = Buffer.from(f.contents ?? '', 'base64').length;
    if (limit('injected_file_content_bytes') !== UNLIMITED && size > limit('injected_file_content_bytes'))
      throw new OverQuota('Personality file content exceeds maximum 10240', 403);
  }
}

/** A resize to a bigger flavor needs the extra cores and RAM within quota (403 as upstream). */
export async function checkResizeQuota(
  d: QuotaDeps,
  projectId: string,
  userId: string,
  from: EmbeddedFlavor,
  to: EmbeddedFlavor,
): Promise<void> {
  const delta = { cores: to.vcpus - from.vcpus, ram: to.memory_mb - from.memory_mb };
  if (delta.cores <= 0 && delta.ram <= 0) return;
  for (const scope of [
    await getProjectQuotas(d, projectId, { usages: true }),
    await getUserQuotas(d, projectId, userId, { usages: true }),
  ])
    for (const r of ['cores', 'ram'] as const) {
      const q = scope[r];
      if (!q || q.limit === UNLIMITED || delta[r] <= 0) continue;
      const used = q.in_use ?? 0;
      if (used + delta[r] > q.limit)
        throw new OverQuota(
          `Quota exceeded for ${r}: Requested ${delta[r]}, but already used ${used} of ${q.limit} ${r}`,
          403,
        );
    }
}
