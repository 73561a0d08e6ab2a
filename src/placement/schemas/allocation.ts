// Request schemas of allocations, each version a small delta of the previous one.
import { CONSUMER_TYPE_PATTERN, GROUP_PAT_1_33, RC_PATTERN, UUID_PATTERN } from './common.ts';
import type { JsonSchema } from './validate.ts';

const RESOURCES = {
  type: 'object',
  minProperties: 1,
  patternProperties: { [RC_PATTERN]: { type: 'integer', minimum: 1 } },
  additionalProperties: false,
};
const ID = { type: 'string', minLength: 1, maxLength: 255 };

export const ALLOCATION_1_0: JsonSchema = {
  type: 'object',
  properties: {
    allocations: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          resource_provider: {
            type: 'object',
            properties: { uuid: { type: 'string', format: 'uuid' } },
            additionalProperties: false,
            required: ['uuid'],
          },
          resources: RESOURCES,
        },
        required: ['resource_provider', 'resources'],
        additionalProperties: false,
      },
    },
  },
  required: ['allocations'],
  additionalProperties: false,
};
export const ALLOCATION_1_8: JsonSchema = {
  ...ALLOCATION_1_0,
  properties: { ...(ALLOCATION_1_0.properties as object), project_id: ID, user_id: ID },
  required: ['allocations', 'project_id', 'user_id'],
};

const ALLOCATIONS_DICT = {
  type: 'object',
  minProperties: 1,
  patternProperties: {
    [UUID_PATTERN]: {
      type: 'object',
      properties: { generation: { type: 'integer' }, resources: RESOURCES },
      required: ['resources'],
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};
export const ALLOCATION_1_12: JsonSchema = {
  type: 'object',
  properties: { allocations: ALLOCATIONS_DICT, project_id: ID, user_id: ID },
  additionalProperties: false,
  required: ['allocations', 'project_id', 'user_id'],
};
const DELETABLE: JsonSchema = {
  ...ALLOCATION_1_12,
  properties: {
    ...(ALLOCATION_1_12.properties as object),
    allocations: { ...ALLOCATIONS_DICT, minProperties: 0 },
  },
};
export const ALLOCATION_1_28: JsonSchema = {
  ...DELETABLE,
  properties: { ...(DELETABLE.properties as object), consumer_generation: { type: ['integer', 'null'] } },
  required: ['allocations', 'project_id', 'user_id', 'consumer_generation'],
};
const MAPPINGS = {
  type: 'object',
  minProperties: 1,
  patternProperties: {
    [GROUP_PAT_1_33]: { type: 'array', minItems: 1, items: { type: 'string', format: 'uuid' } },
  },
};
export const ALLOCATION_1_34: JsonSchema = {
  ...ALLOCATION_1_28,
  properties: { ...(ALLOCATION_1_28.properties as object), mappings: MAPPINGS },
};
export const ALLOCATION_1_38: JsonSchema = {
  ...ALLOCATION_1_34,
  properties: {
    ...(ALLOCATION_1_34.properties as object),
    consumer_type: { type: 'string', pattern: CONSUMER_TYPE_PATTERN, minLength: 1, maxLength: 255 },
  },
  required: ['allocations', 'project_id', 'user_id', 'consumer_generation', 'consumer_type'],
};

const many = (each: JsonSchema, minProperties = 1): JsonSchema => ({
  type: 'object',
  minProperties,
  additionalProperties: false,
  patternProperties: { [UUID_PATTERN]: each },
});
export const POST_ALLOCATIONS_1_13 = many(DELETABLE);
export const POST_ALLOCATIONS_1_28 = many(ALLOCATION_1_28);
export const POST_ALLOCATIONS_1_34 = many(ALLOCATION_1_34);
export const POST_ALLOCATIONS_1_38 = many(ALLOCATION_1_38);
/** The reshaper's allocations: like POST /allocations, but may be empty. */
export const reshaperAllocations = (s: JsonSchema): JsonSchema => ({ ...s, minProperties: 0 });
