// Request schemas of aggregates, traits, resource classes and usages.
import { CONSUMER_TYPE_GET_PATTERN, CUSTOM_RC_PATTERN, CUSTOM_TRAIT_PATTERN } from './common.ts';
import type { JsonSchema } from './validate.ts';

const AGGREGATE_LIST = { type: 'array', items: { type: 'string', format: 'uuid' }, uniqueItems: true };
export const PUT_AGGREGATES_1_1: JsonSchema = AGGREGATE_LIST;
export const PUT_AGGREGATES_1_19: JsonSchema = {
  type: 'object',
  properties: { aggregates: AGGREGATE_LIST, resource_provider_generation: { type: 'integer' } },
  required: ['aggregates', 'resource_provider_generation'],
  additionalProperties: false,
};

const TRAIT = { type: 'string', minLength: 1, maxLength: 255 };
export const CUSTOM_TRAIT: JsonSchema = { ...TRAIT, pattern: CUSTOM_TRAIT_PATTERN };
export const SET_PROVIDER_TRAITS: JsonSchema = {
  type: 'object',
  properties: { traits: { type: 'array', items: TRAIT }, resource_provider_generation: { type: 'integer' } },
  required: ['traits', 'resource_provider_generation'],
  additionalProperties: false,
};
export const LIST_TRAITS: JsonSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, associated: { type: 'string' } },
  additionalProperties: false,
};

export const RESOURCE_CLASS: JsonSchema = {
  type: 'object',
  properties: { name: { type: 'string', pattern: CUSTOM_RC_PATTERN, maxLength: 255 } },
  required: ['name'],
  additionalProperties: false,
};

const ID = { type: 'string', minLength: 1, maxLength: 255 };
export const GET_USAGES_1_9: JsonSchema = {
  type: 'object',
  properties: { project_id: ID, user_id: ID },
  required: ['project_id'],
  additionalProperties: false,
};
export const GET_USAGES_1_38: JsonSchema = {
  ...GET_USAGES_1_9,
  properties: {
    project_id: ID,
    user_id: ID,
    consumer_type: { type: 'string', pattern: CONSUMER_TYPE_GET_PATTERN, minLength: 1, maxLength: 255 },
  },
};
