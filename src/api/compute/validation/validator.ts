// JSON-schema validation with upstream's error texts. One Ajv (draft 2020-12, first error only,
// never coercing); each schema compiled once. Errors read like jsonschema's, wrapped as Nova does:
// "Invalid input for field/attribute <f>. Value: <v>. <message>" (body) or
// "Invalid input for query parameters <p>. Value: <v>. <message>" (query).
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { ValidationFailed } from '../faults/faults.ts';
import { FORMATS } from './formats.ts';
import { invalidNameMessage, NAME_FORMATS } from './names.ts';
import { pyRepr, pyStr } from './python-repr.ts';

export type JsonSchema = Readonly<Record<string, unknown>>;

/** Nova compares numeric strings against minimum/maximum too ('10' ≥ 1), so those keywords are ours. */
const NUMERIC_BOUNDS: Readonly<Record<string, string>> = Object.freeze({
  minimum: 'pyMinimum',
  maximum: 'pyMaximum',
  exclusiveMinimum: 'pyExclusiveMinimum',
});

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

/** Rewrites bound keywords into the numeric-string-aware ones, everywhere in the schema. */
function rewrite(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewrite);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k in NUMERIC_BOUNDS && typeof v === 'number') out[NUMERIC_BOUNDS[k]] = v;
    else if (k === 'properties' || k === 'patternProperties' || k === '$defs')
      out[k] = Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, rewrite(s)]));
    else if (k === 'enum' || k === 'const' || k === 'required') out[k] = v;
    else out[k] = rewrite(v);
  }
  return out;
}

function boundKeyword(name: string, ok: (n: number, bound: number) => boolean) {
  return {
    keyword: name,
    schemaType: 'number',
    validate: (bound: number, data: unknown) => {
      const n = toNumber(data);
      return n === undefined || ok(n, bound);
    },
  } as const;
}

function plural(names: readonly string[], one: string, many: string): string {
  return `${names.map(pyRepr).join(', ')} ${names.length === 1 ? one : many}`;
}

/** Properties an object has that its schema does not allow (what jsonschema lists together). */
function extras(e: ErrorObject): string[] {
  const parent = (e.parentSchema ?? {}) as { properties?: object; patternProperties?: object };
  const props = Object.keys(parent.properties ?? {});
  const patterns = Object.keys(parent.patternProperties ?? {}).map((p) => new RegExp(p, 'u'));
  return Object.keys((e.data ?? {}) as object)
    .filter((k) => !props.includes(k) && !patterns.some((p) => p.test(k)))
    .sort();
}

function typeNames(t: unknown): string {
  return (Array.isArray(t) ? t : [t]).map(pyRepr).join(', ');
}

/** jsonschema's message for one Ajv error. */
export function jsonschemaMessage(e: ErrorObject): string {
  const v = pyRepr(e.data);
  const s = e.schema as unknown;
  switch (e.keyword) {
    case 'type':
      return `${v} is not of type ${typeNames(s)}`;
    case 'required':
      return `${pyRepr((e.params as { missingProperty: string }).missingProperty)} is a required property`;
    case 'additionalProperties': {
      const parent = (e.parentSchema ?? {}) as { patternProperties?: object };
      const names = extras(e);
      if (parent.patternProperties) {
        const regexes = Object.keys(parent.patternProperties).map(pyRepr).join(', ');
        return `${plural(names, 'does', 'do')} not match any of the regexes: ${regexes}`;
      }
      return `Additional properties are not allowed (${plural(names, 'was', 'were')} unexpected)`;
    }
    case 'maxLength':
    case 'maxItems':
      return s === 0 ? `${v} is expected to be empty` : `${v} is too long`;
    case 'minLength':
    case 'minItems':
      return s === 1 ? `${v} should be non-empty` : `${v} is too short`;
    case 'minProperties':
      return s === 1 ? `${v} should be non-empty` : `${v} does not have enough properties`;
    case 'maxProperties':
      return `${v} has too many properties`;
    case 'pattern':
      return `${v} does not match ${pyRepr(s)}`;
    case 'pyMinimum':
      return `${v} is less than the minimum of ${pyRepr(s)}`;
    case 'pyMaximum':
      return `${v} is greater than the maximum of ${pyRepr(s)}`;
    case 'pyExclusiveMinimum':
      return `${v} is less than or equal to the minimum of ${pyRepr(s)}`;
    case 'enum':
      return `${v} is not one of ${pyRepr(s)}`;
    case 'const':
      return `${pyRepr(s)} was expected`;
    case 'format':
      return `${v} is not a ${pyRepr(s)}`;
    case 'oneOf':
    case 'anyOf':
      return `${v} is not valid under any of the given schemas`;
    case 'not':
      return `${v} should not be valid under ${pyRepr(s)}`;
    case 'uniqueItems':
      return `${v} has non-unique elements`;
    default:
      return e.message ?? 'is invalid';
  }
}

function lastSegment(path: string): string | undefined {
  if (!path) return undefined;
  const seg = path.slice(path.lastIndexOf('/') + 1);
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

function firstSegment(path: string): string | undefined {
  if (!path) return undefined;
  return path.split('/')[1].replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Nova's detail for the first error of a body or query validation. */
export function novaDetail(e: ErrorObject, where: 'body' | 'query'): string {
  if (e.keyword === 'format' && typeof e.schema === 'string' && e.schema in NAME_FORMATS)
    return invalidNameMessage(NAME_FORMATS[e.schema].reason);
  const message = jsonschemaMessage(e);
  if (where === 'body') {
    const field = lastSegment(e.instancePath);
    if (field === undefined) return message;
    return `Invalid input for field/attribute ${field}. Value: ${pyStr(e.data)}. ${message}`;
  }
  const param = firstSegment(e.instancePath);
  if (param === undefined) return message;
  return `Invalid input for query parameters ${param}. Value: ${pyStr(e.data)}. ${message}`;
}

export interface SchemaValidator {
  /** Throws ValidationFailed (400) with upstream's message when `data` does not match. */
  check(schema: JsonSchema, data: unknown, where: 'body' | 'query'): void;
}

/** One Ajv for the app; compiled functions cached per schema object. */
export function createSchemaValidator(): SchemaValidator {
  const ajv = new Ajv2020({
    allErrors: false,
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: false,
    strict: false,
    verbose: true,
    validateFormats: true,
  });
  for (const [name, check] of Object.entries(FORMATS))
    ajv.addFormat(name, { type: 'string', validate: check });
  ajv.addKeyword(boundKeyword('pyMinimum', (n, b) => n >= b));
  ajv.addKeyword(boundKeyword('pyMaximum', (n, b) => n <= b));
  ajv.addKeyword(boundKeyword('pyExclusiveMinimum', (n, b) => n > b));
  const cache = new WeakMap<JsonSchema, ValidateFunction>();
  const compiled = (schema: JsonSchema) => {
    let fn = cache.get(schema);
    if (!fn) {
      fn = ajv.compile(rewrite(schema) as object);
      cache.set(schema, fn);
    }
    return fn;
  };
  return {
    check(schema, data, where) {
      const fn = compiled(schema);
      if (fn(data)) return;
      const first = fn.errors?.[0];
      throw new ValidationFailed(first ? novaDetail(first, where) : 'Invalid input');
    },
  };
}
