// Placement microversions as data (one line per version, add at the end) and the negotiation of
// `OpenStack-API-Version: placement X.Y` (as microversion_parse does for upstream placement).
import { PlacementError } from './errors.ts';

export const SERVICE_TYPE = 'placement';

export const VERSIONS: readonly (readonly [string, string])[] = Object.freeze([
  ['1.0', 'initial version'],
  ['1.1', 'GET/PUT /resource_providers/{uuid}/aggregates'],
  ['1.2', '/resource_classes'],
  ['1.3', 'member_of on GET /resource_providers'],
  ['1.4', 'resources on GET /resource_providers'],
  ['1.5', 'DELETE /resource_providers/{uuid}/inventories'],
  ['1.6', '/traits and /resource_providers/{uuid}/traits'],
  ['1.7', 'PUT /resource_classes/{name} is a bodiless create-or-update'],
  ['1.8', 'project_id and user_id required in PUT /allocations'],
  ['1.9', 'GET /usages'],
  ['1.10', 'GET /allocation_candidates'],
  ['1.11', 'allocations link on resource providers'],
  ['1.12', 'dict form of allocations in PUT/GET /allocations and allocation candidates'],
  ['1.13', 'POST /allocations for many consumers'],
  ['1.14', 'parent and root provider uuids; in_tree on GET /resource_providers'],
  ['1.15', 'last-modified and cache-control headers'],
  ['1.16', 'limit on GET /allocation_candidates'],
  ['1.17', 'required on GET /allocation_candidates; traits in provider summaries'],
  ['1.18', 'required on GET /resource_providers'],
  ['1.19', 'generation in provider aggregates'],
  ['1.20', 'POST /resource_providers returns the provider (200)'],
  ['1.21', 'member_of on GET /allocation_candidates'],
  ['1.22', 'forbidden traits (!TRAIT) in required'],
  ['1.23', 'error codes in error responses'],
  ['1.24', 'repeated member_of on GET /resource_providers'],
  ['1.25', 'granular (numbered) request groups in GET /allocation_candidates'],
  ['1.26', 'inventory reserved may equal total'],
  ['1.27', 'every inventory in provider_summaries'],
  ['1.28', 'consumer generations'],
  ['1.29', 'nested providers in GET /allocation_candidates'],
  ['1.30', 'POST /reshaper'],
  ['1.31', 'in_tree and in_tree<N> on GET /allocation_candidates'],
  ['1.32', 'forbidden aggregates (!) in member_of'],
  ['1.33', 'request group suffixes of [A-Za-z0-9_-]{1,64}'],
  ['1.34', 'mappings in allocation requests'],
  ['1.35', 'root_required on GET /allocation_candidates'],
  ['1.36', 'same_subtree and resourceless request groups'],
  ['1.37', 're-parenting and un-parenting providers'],
  ['1.38', 'consumer_type in allocations, reshaper and usages'],
  ['1.39', 'in: (any of) traits in required'],
]);

/** A negotiated microversion; compare with atLeast('1.x') (never string comparison). */
export interface Microversion {
  readonly major: number;
  readonly minor: number;
  atLeast(v: string): boolean;
  /** Inside [min, max] (max optional). */
  within(min: string, max?: string): boolean;
  toString(): string;
}

const VERSION_RE = /^(\d+)\.(\d+)$/;

const LITERALS = new Map<string, readonly [number, number]>();

/** A version literal from code ('1.15') as numbers, parsed once. */
function parts(v: string): readonly [number, number] {
  let p = LITERALS.get(v);
  if (!p) {
    const m = VERSION_RE.exec(v);
    if (!m) throw new Error(`bad version literal ${v}`);
    p = [Number(m[1]), Number(m[2])];
    LITERALS.set(v, p);
  }
  return p;
}

const cmp = (a: readonly [number, number], b: readonly [number, number]): number =>
  a[0] - b[0] || a[1] - b[1];

export function makeVersion(major: number, minor: number): Microversion {
  const me: readonly [number, number] = [major, minor];
  return Object.freeze({
    major,
    minor,
    atLeast: (v: string) => cmp(me, parts(v)) >= 0,
    within: (min: string, max?: string) => cmp(me, parts(min)) >= 0 && (!max || cmp(me, parts(max)) <= 0),
    toString: () => `${major}.${minor}`,
  });
}

export const MIN_VERSION = VERSIONS[0][0];
export const MAX_VERSION = VERSIONS[VERSIONS.length - 1][0];

/** The placement entry of an OpenStack-API-Version header ("placement 1.2, compute 2.1"). */
function placementEntry(header: string): string | undefined {
  for (const part of header.split(',')) {
    const [service, ...rest] = part.trim().split(/\s+/);
    if (service?.toLowerCase() === SERVICE_TYPE) return rest.join(' ');
  }
  return undefined;
}

/** A 406 raised before any version was chosen: the body also names min and max. */
export class VersionNotAcceptable extends PlacementError {
  constructor(detail: string) {
    super(406, detail);
  }
}

/** The version the request asks for: none → 1.0, `latest` → 1.39; 400 malformed, 406 out of range. */
export function negotiate(header: string | string[] | undefined): Microversion {
  const raw = Array.isArray(header) ? header.join(',') : header;
  const wanted = raw === undefined ? undefined : placementEntry(raw);
  if (wanted === undefined || wanted === '') return makeVersion(...parts(MIN_VERSION));
  const text = wanted.toLowerCase() === 'latest' ? MAX_VERSION : wanted;
  const m = VERSION_RE.exec(text);
  if (!m) throw new PlacementError(400, `invalid version string: ${wanted}`);
  const v: readonly [number, number] = [Number(m[1]), Number(m[2])];
  if (cmp(v, parts(MIN_VERSION)) < 0 || cmp(v, parts(MAX_VERSION)) > 0)
    throw new VersionNotAcceptable(`Unacceptable version header: ${wanted}`);
  return makeVersion(v[0], v[1]);
}
