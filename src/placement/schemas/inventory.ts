// Request schemas of inventories.
import { MAX_INT, RC_PATTERN, SQL_SP_FLOAT_MAX } from './common.ts';
import type { JsonSchema } from './validate.ts';

const int = (minimum: number) => ({ type: 'integer', maximum: MAX_INT, minimum });

const FIELDS = {
  resource_provider_generation: { type: 'integer' },
  total: int(1),
  reserved: int(0),
  min_unit: int(1),
  max_unit: int(1),
  step_size: int(1),
  allocation_ratio: { type: 'number', maximum: SQL_SP_FLOAT_MAX },
};

export const BASE_INVENTORY: JsonSchema = {
  type: 'object',
  properties: FIELDS,
  required: ['total', 'resource_provider_generation'],
  additionalProperties: false,
};
export const POST_INVENTORY: JsonSchema = {
  ...BASE_INVENTORY,
  properties: { ...FIELDS, resource_class: { type: 'string', pattern: RC_PATTERN } },
  required: ['total', 'resource_class'],
};
const INVENTORY_RECORD: JsonSchema = { ...BASE_INVENTORY, required: ['total'] };
export const PUT_INVENTORIES: JsonSchema = {
  type: 'object',
  properties: {
    resource_provider_generation: { type: 'integer' },
    inventories: { type: 'object', patternProperties: { [RC_PATTERN]: INVENTORY_RECORD } },
  },
  required: ['resource_provider_generation', 'inventories'],
  additionalProperties: false,
};
