// ComputeCapabilitiesFilter: the flavor's extra specs scoped `capabilities:` (or unscoped keys that
// name a host attribute or stat) must match the host. A scope walks into the host: its first part
// is a HostState field (or else a stats key), later parts index JSON objects (JSON text, such as
// cpu_info, is parsed on the way). `hw:maxphysaddr_bits: N` means `capabilities:cpu_info:maxphysaddr:bits: >= N`.
import type { HostFilter, HostState } from '../types.ts';
import { matchesRequirement } from './extra-specs-ops.ts';

const SCOPE = 'capabilities';

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The host value a scope names, or undefined when the walk finds nothing. */
function capability(host: HostState, scope: readonly string[]): unknown {
  let cap: unknown = host;
  for (let i = 0; i < scope.length; i++) {
    const key = scope[i];
    if (i === 0) {
      const attr = Object.hasOwn(host, key) ? (host as unknown as Record<string, unknown>)[key] : undefined;
      cap = attr ?? (Object.hasOwn(host.stats, key) ? host.stats[key] : undefined);
    } else {
      if (typeof cap === 'string') {
        try {
          cap = JSON.parse(cap);
        } catch {
          return undefined;
        }
      }
      cap = isObject(cap) && Object.hasOwn(cap, key) ? cap[key] : undefined;
    }
    if (cap === undefined || cap === null) return undefined;
  }
  return cap;
}

/** The value as text, as upstream turns it into a string before matching. */
function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

function satisfies(host: HostState, specs: Readonly<Record<string, string>>): boolean {
  const wanted: Record<string, string> = { ...specs };
  const bits = wanted['hw:maxphysaddr_bits'];
  if (bits !== undefined) {
    delete wanted['hw:maxphysaddr_bits'];
    wanted['capabilities:cpu_info:maxphysaddr:bits'] = `>= ${bits}`;
  }
  for (const [key, req] of Object.entries(wanted)) {
    let scope = key.split(':');
    if (scope.length === 1) {
      if (!Object.hasOwn(host, key) && !Object.hasOwn(host.stats, key)) continue;
    } else if (scope[0] !== SCOPE) {
      continue;
    } else {
      scope = scope.slice(1);
    }
    const cap = capability(host, scope);
    if (cap === undefined) return false;
    if (!matchesRequirement(asText(cap), req)) return false;
  }
  return true;
}

export const ComputeCapabilitiesFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'ComputeCapabilitiesFilter',
  runOncePerRequest: true,
  hostPasses: (host, spec) => satisfies(host, spec.flavor.extra_specs ?? {}),
});
