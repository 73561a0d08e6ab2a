// Choosing among candidate hosts: run the filters, weigh the survivors (each weigher's raw weights
// normalised to 0..1 across the hosts, times the weigher's per-host multiplier, summed), and pick
// the host to try first (at random among the best host_subset_size). Pure functions.
import type { HostFilter, HostState, HostWeigher, RequestSpec, SchedulerContext } from './types.ts';

export interface WeighedHost {
  readonly host: HostState;
  readonly weight: number;
}

/** A rebuild is scheduled only to re-check the image: filters not marked runOnRebuild are skipped. */
function isRebuild(spec: RequestSpec): boolean {
  const check = spec.scheduler_hints._nova_check_type;
  return spec.operation === 'rebuild' || (check?.length === 1 && check[0] === 'rebuild');
}

/** The hosts every filter keeps, in their original order. */
export function filterHosts(
  hosts: readonly HostState[],
  spec: RequestSpec,
  filters: readonly HostFilter[],
  ctx: SchedulerContext,
): HostState[] {
  const rebuild = isRebuild(spec);
  let out = [...hosts];
  for (const f of filters) {
    if (out.length === 0) break;
    if (rebuild && !f.runOnRebuild) continue;
    out = out.filter((h) => f.hostPasses(h, spec, ctx));
  }
  return out;
}

/**
 * Scales weights to 0..1 between `minval`/`maxval` (the weights' own min/max when not given);
 * all-equal weights become 0.
 */
export function normalise(weights: readonly number[], minval?: number, maxval?: number): number[] {
  if (weights.length === 0) return [];
  const lo = minval ?? Math.min(...weights);
  const hi = maxval ?? Math.max(...weights);
  if (lo === hi) return weights.map(() => 0);
  return weights.map((w) => (w - lo) / (hi - lo));
}

/** The hosts with their total weights, best first (equal weights keep the hosts' order). */
export function weighHosts(
  hosts: readonly HostState[],
  spec: RequestSpec,
  weighers: readonly HostWeigher[],
  ctx: SchedulerContext,
): WeighedHost[] {
  const totals = hosts.map(() => 0);
  if (hosts.length > 1) {
    for (const w of weighers) {
      const raw = hosts.map((h) => {
        let v = w.weigh(h, spec, ctx);
        if (w.minval !== undefined) v = Math.max(v, w.minval);
        if (w.maxval !== undefined) v = Math.min(v, w.maxval);
        return v;
      });
      normalise(raw, w.minval, w.maxval).forEach((n, i) => {
        totals[i] += w.multiplier(hosts[i], ctx) * n;
      });
    }
  }
  return hosts.map((host, i) => ({ host, weight: totals[i] })).sort((a, b) => b.weight - a.weight);
}

/**
 * The hosts to try, in order: first one chosen at random among the best `hostSubsetSize`, then the
 * rest by weight. With `shuffleSameWeighed`, hosts tied for the best weight are shuffled first.
 */
export function pickHosts(
  weighed: readonly WeighedHost[],
  hostSubsetSize: number,
  shuffleSameWeighed: boolean,
  random: () => number = Math.random,
): HostState[] {
  if (weighed.length === 0) return [];
  const ordered = [...weighed];
  if (shuffleSameWeighed) {
    const best = ordered.filter((w) => w.weight === ordered[0].weight).length;
    for (let i = best - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ordered[i], ordered[j]] = [ordered[j], ordered[i]];
    }
  }
  const hosts = ordered.map((w) => w.host);
  const subset = Math.min(Math.max(1, hostSubsetSize), hosts.length);
  const chosen = Math.min(Math.floor(random() * subset), subset - 1);
  return [hosts[chosen], ...hosts.slice(0, chosen), ...hosts.slice(chosen + 1)];
}
