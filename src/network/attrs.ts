// Request bodies as Neutron checks them: `{"<resource>": {...}}`, unknown attributes refused,
// attributes a verb may not set refused, each value through its validator (which may convert,
// e.g. "true" → true), with Neutron's messages.
import { isUuidLike } from '../common/ids.ts';
import { badRequest, invalidAttr } from './faults.ts';
import { canonicalIp, parseCidr } from './ip.ts';

export type Validator = (value: unknown, attr: string) => unknown;

export interface AttrSpec {
  readonly post: boolean;
  readonly put: boolean;
  readonly validate?: Validator;
}

export type AttrMap = Readonly<Record<string, AttrSpec>>;

const json = (v: unknown) => JSON.stringify(v) ?? String(v);

export const str =
  (max = 255, nullable = false): Validator =>
  (v, a) => {
    if (v === null && nullable) return null;
    if (typeof v !== 'string') throw invalidAttr(a, `${json(v)} is not a valid string`);
    if (v.length > max) throw invalidAttr(a, `'${v}' exceeds maximum length of ${max}`);
    return v;
  };

export const bool: Validator = (v, a) => {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false|1|0)$/i.test(v)) return /^(true|1)$/i.test(v);
  if (v === 0 || v === 1) return v === 1;
  throw invalidAttr(a, `'${String(v)}' cannot be converted to boolean`);
};

export const int =
  (min: number, max: number, nullable = false): Validator =>
  (v, a) => {
    if (v === null && nullable) return null;
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n))
      throw invalidAttr(a, `'${String(v)}' is not an integer`);
    if (n < min || n > max) throw invalidAttr(a, `'${n}' is not in range ${min} through ${max}`);
    return n;
  };

export const uuid =
  (nullable = false): Validator =>
  (v, a) => {
    if (v === null && nullable) return null;
    if (typeof v !== 'string' || !isUuidLike(v)) throw invalidAttr(a, `'${String(v)}' is not a valid UUID`);
    return v;
  };

export const ip =
  (nullable = false): Validator =>
  (v, a) => {
    if (v === null && nullable) return null;
    const c = typeof v === 'string' ? canonicalIp(v) : undefined;
    if (!c) throw invalidAttr(a, `'${String(v)}' is not a valid IP address`);
    return c;
  };

export const cidr =
  (nullable = false): Validator =>
  (v, a) => {
    if (v === null && nullable) return null;
    if (typeof v !== 'string' || !parseCidr(v, true))
      throw invalidAttr(a, `'${String(v)}' is not a valid IP subnet`);
    return v;
  };

export const oneOf =
  (values: readonly (string | null)[]): Validator =>
  (v, a) => {
    if (!values.includes(v as string | null))
      throw invalidAttr(a, `${json(v)} is not in [${values.map((x) => `'${x}'`).join(', ')}]`);
    return v;
  };

export const list =
  (item?: Validator): Validator =>
  (v, a) => {
    if (!Array.isArray(v)) throw invalidAttr(a, `${json(v)} is not a list`);
    return item ? v.map((x) => item(x, a)) : v;
  };

export const dict: Validator = (v, a) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw invalidAttr(a, `${json(v)} is not a dictionary`);
  return v;
};

export const any: Validator = (v) => v;

/** The attributes every project-owned resource has. */
export const OWNED: AttrMap = Object.freeze({
  id: { post: false, put: false },
  project_id: { post: true, put: false, validate: str(255) },
  tenant_id: { post: true, put: false, validate: str(255) },
  name: { post: true, put: true, validate: str(255) },
  description: { post: true, put: true, validate: str(255) },
  created_at: { post: false, put: false },
  updated_at: { post: false, put: false },
  revision_number: { post: false, put: false },
  tags: { post: false, put: false },
});

/** The resource object of a body; throws Neutron's 400s. Values are validated and converted. */
export function parseBody(
  body: unknown,
  resource: string,
  map: AttrMap,
  verb: 'post' | 'put',
): Record<string, unknown> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('Resource body required');
  const inner = (body as Record<string, unknown>)[resource];
  if (inner === undefined) throw badRequest(`Unable to find '${resource}' in request body`);
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner))
    throw badRequest(`Invalid input for ${resource}. Reason: Body of ${resource} is not a dictionary.`);
  const unknown = Object.keys(inner).filter((k) => !(k in map));
  if (unknown.length > 0) throw badRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inner as Record<string, unknown>)) {
    const spec = map[k];
    if (verb === 'post' && !spec.post) throw badRequest(`Attribute '${k}' not allowed in POST`);
    if (verb === 'put' && !spec.put) throw badRequest(`Cannot update read-only attribute ${k}`);
    out[k] = spec.validate ? spec.validate(v, k) : v;
  }
  return out;
}
