// Request schemas of POST /reshaper.
import {
  POST_ALLOCATIONS_1_28,
  POST_ALLOCATIONS_1_34,
  POST_ALLOCATIONS_1_38,
  reshaperAllocations,
} from './allocation.ts';
import { UUID_PATTERN } from './common.ts';
import { PUT_INVENTORIES } from './inventory.ts';
import type { JsonSchema } from './validate.ts';

const reshaper = (allocations: JsonSchema): JsonSchema => ({
  type: 'object',
  properties: {
    inventories: {
      type: 'object',
      patternProperties: { [UUID_PATTERN]: PUT_INVENTORIES },
      minProperties: 1,
      additionalProperties: false,
    },
    allocations: reshaperAllocations(allocations),
  },
  required: ['inventories', 'allocations'],
  additionalProperties: false,
});

export const RESHAPER_1_30 = reshaper(POST_ALLOCATIONS_1_28);
export const RESHAPER_1_34 = reshaper(POST_ALLOCATIONS_1_34);
export const RESHAPER_1_38 = reshaper(POST_ALLOCATIONS_1_38);
