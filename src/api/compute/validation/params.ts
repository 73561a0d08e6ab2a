// Reusable schema pieces (upstream's nova/api/validation/parameter_types.py), as frozen values.

import { DESCRIPTION_PATTERN } from './names.ts';
import type { JsonSchema } from './validator.ts';

/** A query parameter: the query string arrives as { name: [values…] }. */
export const multiParams = (items: JsonSchema): JsonSchema => Object.freeze({ type: 'array', items });
export const singleParam = (items: JsonSchema): JsonSchema =>
  Object.freeze({ type: 'array', items, maxItems: 1 });

export const commonQueryParam = multiParams({ type: 'string' });

export const BOOLEAN_VALUES = Object.freeze([
  true,
  'True',
  'TRUE',
  'true',
  '1',
  'ON',
  'On',
  'on',
  'YES',
  'Yes',
  'yes',
  false,
  'False',
  'FALSE',
  'false',
  '0',
  'OFF',
  'Off',
  'off',
  'NO',
  'No',
  'no',
]);

export const boolean: JsonSchema = Object.freeze({ type: ['boolean', 'string'], enum: BOOLEAN_VALUES });

export const positiveInteger: JsonSchema = Object.freeze({
  type: ['integer', 'string'],
  pattern: '^[0-9]*$',
  minimum: 1,
  minLength: 1,
});

export const nonNegativeInteger: JsonSchema = Object.freeze({
  type: ['integer', 'string'],
  pattern: '^[0-9]*$',
  minimum: 0,
  minLength: 1,
});

export const name: JsonSchema = Object.freeze({
  type: 'string',
  format: 'name',
  minLength: 1,
  maxLength: 255,
});

export const nameWithLeadingTrailingSpaces: JsonSchema = Object.freeze({
  type: 'string',
  format: 'name_with_leading_trailing_spaces',
  minLength: 1,
  maxLength: 255,
});

export const azName: JsonSchema = Object.freeze({
  type: 'string',
  format: 'az_name',
  minLength: 1,
  maxLength: 255,
});

export const azNameWithLeadingTrailingSpaces: JsonSchema = Object.freeze({
  type: 'string',
  format: 'az_name_with_leading_trailing_spaces',
  minLength: 1,
  maxLength: 255,
});

export const description: JsonSchema = Object.freeze({
  type: ['string', 'null'],
  pattern: DESCRIPTION_PATTERN,
  minLength: 0,
  maxLength: 255,
});

export const descriptionPattern = DESCRIPTION_PATTERN;

export const projectId: JsonSchema = Object.freeze({
  type: 'string',
  pattern: '^[a-zA-Z0-9-]*$',
  minLength: 1,
  maxLength: 255,
});

export const userId = projectId;

export const uuid: JsonSchema = Object.freeze({ type: 'string', format: 'uuid' });

/** Up to MAX_INT, as the database column allows. */
export const volumeSize: JsonSchema = Object.freeze({
  type: ['integer', 'string'],
  pattern: '^[0-9]+$',
  minimum: 1,
  maximum: 0x7fffffff,
});

export const flavorParamPositive = volumeSize;
export const flavorParamNonNegative: JsonSchema = Object.freeze({ ...volumeSize, minimum: 0 });

export const paginationParameters = Object.freeze({
  limit: multiParams(nonNegativeInteger),
  marker: multiParams({ type: 'string' }),
});

/** A query schema with these properties; unknown parameters allowed or refused. */
export function querySchema(properties: Record<string, JsonSchema>, additional: boolean): JsonSchema {
  return Object.freeze({ type: 'object', properties, additionalProperties: additional });
}

/** A body `{ <key>: <object schema> }` with nothing else allowed. */
export function wrapped(key: string, inner: JsonSchema): JsonSchema {
  return Object.freeze({
    type: 'object',
    properties: { [key]: inner },
    required: [key],
    additionalProperties: false,
  });
}

/** Python's strutils.bool_from_string(strict=False). */
export function boolFromString(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  return ['1', 't', 'true', 'on', 'y', 'yes'].includes(String(v).trim().toLowerCase());
}
