// Helpers shared by host filters and weighers: aggregate metadata of a host (raw and comma-split),
// per-aggregate numeric overrides (smallest wins), and scheduler hints read the way upstream reads
// them (a one-element list is its single value).
import type { HostState, RequestSpec } from '../types.ts';

/** The distinct raw values that the host's aggregates give `key`. */
export function aggregateValues(host: HostState, key: string): Set<string> {
  const out = new Set<string>();
  for (const agg of host.aggregates) if (Object.hasOwn(agg.metadata, key)) out.add(agg.metadata[key]);
  return out;
}

/** Every metadata key of the host's aggregates → the union of its comma-separated, trimmed values. */
export function aggregateMetadata(host: HostState): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const agg of host.aggregates) {
    for (const [k, v] of Object.entries(agg.metadata)) {
      const set = out.get(k) ?? new Set<string>();
      for (const part of v.split(',')) set.add(part.trim());
      out.set(k, set);
    }
  }
  return out;
}

/** A whole number as Python's int() reads text, or undefined. */
export function parseIntStrict(text: string): number | undefined {
  return /^\s*[+-]?\d+\s*$/.test(text) ? Number.parseInt(text, 10) : undefined;
}

/** A number as Python's float() reads text (no empty strings), or undefined. */
export function parseFloatStrict(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity') return Number.POSITIVE_INFINITY;
  if (t === '-inf' || t === '-infinity') return Number.NEGATIVE_INFINITY;
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/**
 * The smallest of the host's aggregate values for `key`, or `fallback` when none sets it or any
 * value does not parse (upstream then ignores the aggregates and logs a warning).
 */
export function aggregateMin(
  host: HostState,
  key: string,
  fallback: number,
  parse: (text: string) => number | undefined,
): number {
  const vals = [...aggregateValues(host, key)];
  if (vals.length === 0) return fallback;
  const nums = vals.map(parse);
  if (nums.some((n) => n === undefined)) return fallback;
  return Math.min(...(nums as number[]));
}

/** A scheduler hint: undefined when absent or empty, its only value when one, else the list. */
export function schedulerHint(spec: RequestSpec, name: string): string | readonly string[] | undefined {
  const v = spec.scheduler_hints[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (v.length === 0) return undefined;
  return v.length === 1 ? v[0] : v;
}

/** A hint as a list of strings (empty when absent). */
export function hintList(spec: RequestSpec, name: string): readonly string[] {
  const v = schedulerHint(spec, name);
  if (v === undefined) return [];
  return typeof v === 'string' ? [v] : v;
}

/** True when any of `uuids` is an instance on the host. */
export function instancesOverlap(host: HostState, uuids: readonly string[]): boolean {
  const mine = new Set(host.instances);
  return uuids.some((u) => mine.has(u));
}
