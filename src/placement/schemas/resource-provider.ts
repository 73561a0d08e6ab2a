// Request schemas of /resource_providers, by microversion.
import type { JsonSchema } from './validate.ts';

const uuid = { type: 'string', format: 'uuid' } as const;
const nullableUuid = { anyOf: [uuid, { type: 'null' }] } as const;

export const POST_PROVIDER: JsonSchema = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 200 }, uuid },
  required: ['name'],
  additionalProperties: false,
};
export const PUT_PROVIDER: JsonSchema = {
  ...POST_PROVIDER,
  properties: { name: { type: 'string', maxLength: 200 } },
};
export const POST_PROVIDER_1_14: JsonSchema = {
  ...POST_PROVIDER,
  properties: { ...(POST_PROVIDER.properties as object), parent_provider_uuid: nullableUuid },
};
export const PUT_PROVIDER_1_14: JsonSchema = {
  ...PUT_PROVIDER,
  properties: { ...(PUT_PROVIDER.properties as object), parent_provider_uuid: nullableUuid },
};

const LIST_1_0 = { name: { type: 'string' }, uuid };
const LIST_1_3 = { ...LIST_1_0, member_of: { type: 'string' } };
const LIST_1_4 = { ...LIST_1_3, resources: { type: 'string' } };
const LIST_1_14 = { ...LIST_1_4, in_tree: uuid };
const LIST_1_18 = { ...LIST_1_14, required: { type: 'string' } };
const list = (properties: object): JsonSchema => ({
  type: 'object',
  properties,
  additionalProperties: false,
});

/** GET /resource_providers query schema by version, newest first. */
export const LIST_PROVIDERS: readonly (readonly [string, JsonSchema])[] = [
  ['1.18', list(LIST_1_18)],
  ['1.14', list(LIST_1_14)],
  ['1.4', list(LIST_1_4)],
  ['1.3', list(LIST_1_3)],
  ['1.0', list(LIST_1_0)],
];
