// os-services and os-hypervisors schemas (upstream schemas/services.py, hypervisors.py).
import { byVersion } from '../routing/route.ts';
import {
  boolean,
  commonQueryParam,
  nonNegativeInteger,
  paginationParameters,
  querySchema,
  singleParam,
} from '../validation/params.ts';
import type { JsonSchema } from '../validation/validator.ts';

export const fqdn: JsonSchema = Object.freeze({
  type: 'string',
  pattern: '^[a-zA-Z0-9-._]*$',
  minLength: 1,
  maxLength: 255,
});
const text255: JsonSchema = Object.freeze({ type: 'string', minLength: 1, maxLength: 255 });

const updateV21Props: Record<string, JsonSchema> = { host: fqdn, binary: text255, disabled_reason: text255 };
const updateV21: JsonSchema = {
  type: 'object',
  properties: updateV21Props,
  required: ['host', 'binary'],
  additionalProperties: false,
};

export const serviceUpdateBody = byVersion<JsonSchema>(
  ['2.1', updateV21],
  ['2.11', { ...updateV21, properties: { ...updateV21Props, forced_down: boolean } }],
  [
    '2.53',
    {
      type: 'object',
      properties: {
        status: { type: 'string', enum: ['enabled', 'disabled'] },
        disabled_reason: text255,
        forced_down: boolean,
      },
      additionalProperties: false,
    },
  ],
);

const serviceIndex = { host: commonQueryParam, binary: commonQueryParam };
export const serviceIndexQuery = byVersion(
  ['2.1', querySchema(serviceIndex, true)],
  ['2.75', querySchema(serviceIndex, false)],
);

export const hypervisorIndexQuery = byVersion(
  ['2.1', querySchema({}, true)],
  ['2.33', querySchema(paginationParameters, true)],
  [
    '2.53',
    querySchema(
      {
        limit: singleParam(nonNegativeInteger),
        marker: singleParam({ type: 'string' }),
        hypervisor_hostname_pattern: singleParam(fqdn),
        with_servers: singleParam(boolean),
      },
      false,
    ),
  ],
);

export const hypervisorShowQuery = byVersion(
  ['2.1', querySchema({}, true)],
  ['2.53', querySchema({ with_servers: singleParam(boolean) }, false)],
);
