// Flavor request schemas by microversion (upstream schemas/flavors.py, flavors_extraspecs.py,
// flavor_access.py), each version derived from the previous without mutation.
import { byVersion } from '../routing/route.ts';
import {
  boolean,
  descriptionPattern,
  flavorParamNonNegative,
  flavorParamPositive,
  multiParams,
  name,
  nonNegativeInteger,
  querySchema,
  wrapped,
} from '../validation/params.ts';
import type { JsonSchema } from '../validation/validator.ts';

export const SORT_KEYS = Object.freeze([
  'created_at',
  'description',
  'disabled',
  'ephemeral_gb',
  'flavorid',
  'id',
  'is_public',
  'memory_mb',
  'name',
  'root_gb',
  'rxtx_factor',
  'swap',
  'updated_at',
  'vcpu_weight',
  'vcpus',
]);

const description: JsonSchema = {
  type: ['string', 'null'],
  minLength: 0,
  maxLength: 65535,
  pattern: descriptionPattern,
};

const createProps: Record<string, JsonSchema> = {
  name,
  id: {
    type: ['string', 'number', 'null'],
    minLength: 1,
    maxLength: 255,
    pattern: '^(?! )[a-zA-Z0-9. _-]+(?<! )$',
  },
  ram: flavorParamPositive,
  vcpus: flavorParamPositive,
  disk: flavorParamNonNegative,
  'OS-FLV-EXT-DATA:ephemeral': flavorParamNonNegative,
  swap: flavorParamNonNegative,
  rxtx_factor: {
    type: ['number', 'string'],
    pattern: '^[0-9]+(\\.[0-9]+)?$',
    exclusiveMinimum: 0,
    maximum: 3.40282e38,
  },
  'os-flavor-access:is_public': boolean,
};

const flavorBody = (props: Record<string, JsonSchema>) =>
  wrapped('flavor', {
    type: 'object',
    properties: props,
    required: ['name', 'ram', 'vcpus', 'disk'],
    additionalProperties: false,
  });

const { rxtx_factor: _rxtx, ...withoutRxtx } = createProps;

export const createBody = byVersion(
  ['2.1', flavorBody(createProps)],
  ['2.55', flavorBody({ ...createProps, description })],
  ['2.102', flavorBody({ ...withoutRxtx, description })],
);

export const updateBody = byVersion([
  '2.55',
  wrapped('flavor', {
    type: 'object',
    properties: { description },
    required: ['description'],
    additionalProperties: false,
  }),
]);

const indexProps: Record<string, JsonSchema> = {
  limit: multiParams(nonNegativeInteger),
  marker: multiParams({ type: 'string' }),
  is_public: multiParams({ type: 'string' }),
  minRam: multiParams({ type: 'string' }),
  minDisk: multiParams({ type: 'string' }),
  sort_key: multiParams({ type: 'string', enum: SORT_KEYS }),
  sort_dir: multiParams({ type: 'string', enum: ['asc', 'desc'] }),
};

export const indexQuery = byVersion(
  ['2.1', querySchema(indexProps, true)],
  ['2.75', querySchema(indexProps, false)],
  [
    '2.102',
    querySchema(
      {
        ...indexProps,
        name: multiParams({ type: 'string' }),
        sort_key: multiParams({ type: 'string', enum: SORT_KEYS.filter((k) => k !== 'rxtx_factor') }),
      },
      false,
    ),
  ],
);

/** GET on one flavor (and its extra specs, access list): unknown parameters refused from 2.102. */
export const strictFrom2102 = byVersion(['2.1', querySchema({}, true)], ['2.102', querySchema({}, false)]);

const METADATA_KEY = '^[a-zA-Z0-9-_:. ]{1,255}$';
const specs: JsonSchema = {
  type: 'object',
  patternProperties: { [METADATA_KEY]: { type: ['string', 'number'], minLength: 0, maxLength: 255 } },
  additionalProperties: false,
};

export const extraSpecsCreateBody = byVersion([
  '2.1',
  {
    type: 'object',
    properties: { extra_specs: specs },
    required: ['extra_specs'],
    additionalProperties: false,
  },
]);

export const extraSpecUpdateBody = byVersion(['2.1', { ...specs, minProperties: 1, maxProperties: 1 }]);

const tenant = (key: string) =>
  wrapped(key, {
    type: 'object',
    properties: { tenant: { type: 'string', minLength: 1, maxLength: 255 } },
    required: ['tenant'],
    additionalProperties: false,
  });

export const addTenantAccessBody = byVersion(['2.1', tenant('addTenantAccess')]);
export const removeTenantAccessBody = byVersion(['2.1', tenant('removeTenantAccess')]);
