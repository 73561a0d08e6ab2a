// JSON bodies and query strings checked against JSON Schema (Ajv, compiled once per schema), with
// messages worded as upstream's jsonschema words them ("'name' is a required property").
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isUuidLike } from '../../common/ids.ts';
import { badRequest } from '../errors.ts';

export type JsonSchema = Readonly<Record<string, unknown>>;

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, useDefaults: false });
ajv.addFormat('uuid', { type: 'string', validate: (s: string) => isUuidLike(s) });

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function validator(schema: JsonSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(schema as object);
    compiled.set(schema, fn);
  }
  return fn;
}

const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

function describe(e: ErrorObject, data: unknown): string {
  const at = e.instancePath
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (o, k) => (o as Record<string, unknown>)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')],
      data,
    );
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `'${p.missingProperty}' is a required property`;
    case 'additionalProperties':
      return `Additional properties are not allowed ('${p.additionalProperty}' was unexpected)`;
    case 'type':
      return `${show(at)} is not of type '${p.type}'`;
    case 'minimum':
      return `${show(at)} is less than the minimum of ${p.limit}`;
    case 'maximum':
      return `${show(at)} is greater than the maximum of ${p.limit}`;
    case 'pattern':
      return `${show(at)} does not match '${p.pattern}'`;
    case 'maxLength':
      return `${show(at)} is too long`;
    case 'minLength':
      return `${show(at)} is too short`;
    case 'minProperties':
      return `${show(at)} does not have enough properties`;
    case 'minItems':
      return `${show(at)} is too short`;
    case 'uniqueItems':
      return `${show(at)} has non-unique elements`;
    case 'format':
      return `${show(at)} is not a '${p.format}'`;
    case 'enum':
      return `${show(at)} is not one of ${JSON.stringify(p.allowedValues)}`;
    default:
      return `${e.instancePath || 'body'} ${e.message ?? 'is invalid'}`;
  }
}

/** The first schema violation as upstream's jsonschema would word it, or undefined. */
export function schemaError(schema: JsonSchema, data: unknown): string | undefined {
  const fn = validator(schema);
  if (fn(data)) return undefined;
  const err = fn.errors?.[0];
  return err ? describe(err, data) : 'invalid';
}

/** Parses and validates a JSON request body (400 "Malformed JSON" / "JSON does not validate"). */
export function extractJson<T>(body: string | undefined, schema: JsonSchema): T {
  let data: unknown;
  try {
    data = JSON.parse(body ?? '');
  } catch (err) {
    throw badRequest(`Malformed JSON: ${(err as Error).message}`);
  }
  const why = schemaError(schema, data);
  if (why) throw badRequest(`JSON does not validate: ${why}`);
  return data as T;
}

/** Validates query parameters (each key's last value), 400 "Invalid query string parameters". */
export function validateQuery(query: Readonly<Record<string, string>>, schema: JsonSchema): void {
  const why = schemaError(schema, query);
  if (why) throw badRequest(`Invalid query string parameters: ${why}`);
}
