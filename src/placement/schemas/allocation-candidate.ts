// Query schemas of GET /allocation_candidates by microversion (newest first).
import { GROUP_PAT, GROUP_PAT_1_33 } from './common.ts';
import type { JsonSchema } from './validate.ts';

const str = { type: 'string' };
const LIMIT = { type: ['integer', 'string'], pattern: '^[1-9][0-9]*$', minimum: 1, minLength: 1 };

const S_1_10: JsonSchema = {
  type: 'object',
  properties: { resources: str },
  required: ['resources'],
  additionalProperties: false,
};
const S_1_16: JsonSchema = { ...S_1_10, properties: { resources: str, limit: LIMIT } };
const S_1_17: JsonSchema = { ...S_1_16, properties: { resources: str, limit: LIMIT, required: str } };
const S_1_21: JsonSchema = {
  ...S_1_17,
  properties: { resources: str, limit: LIMIT, required: str, member_of: str },
};

const grouped = (pat: string, keys: readonly string[]) =>
  Object.fromEntries(keys.map((k) => [`^${k}(${pat})?$`, str]));
const WIDE = { limit: LIMIT, group_policy: { type: 'string', enum: ['none', 'isolate'] } };
const S_1_25: JsonSchema = {
  type: 'object',
  properties: WIDE,
  patternProperties: grouped(GROUP_PAT, ['resources', 'required', 'member_of']),
  additionalProperties: false,
};
const S_1_31: JsonSchema = {
  ...S_1_25,
  patternProperties: grouped(GROUP_PAT, ['resources', 'required', 'member_of', 'in_tree']),
};
const S_1_33: JsonSchema = {
  ...S_1_31,
  patternProperties: grouped(GROUP_PAT_1_33, ['resources', 'required', 'member_of', 'in_tree']),
};
const S_1_35: JsonSchema = { ...S_1_33, properties: { ...WIDE, root_required: str } };
const S_1_36: JsonSchema = { ...S_1_35, properties: { ...WIDE, root_required: str, same_subtree: str } };

export const LIST_CANDIDATES: readonly (readonly [string, JsonSchema])[] = [
  ['1.36', S_1_36],
  ['1.35', S_1_35],
  ['1.33', S_1_33],
  ['1.31', S_1_31],
  ['1.25', S_1_25],
  ['1.21', S_1_21],
  ['1.17', S_1_17],
  ['1.16', S_1_16],
  ['1.10', S_1_10],
];
