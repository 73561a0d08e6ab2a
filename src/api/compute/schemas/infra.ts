// Aggregates, availability zones, hosts and server groups schemas (upstream schemas/aggregates.py,
// availability_zone.py, hosts.py, server_groups.py, aggregate_images.py).
import { byVersion } from '../routing/route.ts';
import {
  azName,
  commonQueryParam,
  multiParams,
  name,
  nameWithLeadingTrailingSpaces,
  nonNegativeInteger,
  querySchema,
  uuid,
  wrapped,
} from '../validation/params.ts';
import type { JsonSchema } from '../validation/validator.ts';

/** GETs without parameters: anything allowed before 2.102, nothing from it. */
export const plainQuery = byVersion(['2.1', querySchema({}, true)], ['2.102', querySchema({}, false)]);

const zone: JsonSchema = { oneOf: [azName, { type: 'null' }] };
const fqdn: JsonSchema = { type: 'string', pattern: '^[a-zA-Z0-9-._]*$', minLength: 1, maxLength: 255 };

export const aggregateCreateBody = byVersion([
  '2.1',
  wrapped('aggregate', {
    type: 'object',
    properties: { name, availability_zone: zone },
    required: ['name'],
    additionalProperties: false,
  }),
]);

export const aggregateUpdateBody = byVersion([
  '2.1',
  wrapped('aggregate', {
    type: 'object',
    properties: { name: nameWithLeadingTrailingSpaces, availability_zone: zone },
    additionalProperties: false,
    anyOf: [{ required: ['name'] }, { required: ['availability_zone'] }],
  }),
]);

const hostAction = (key: string) =>
  byVersion([
    '2.1',
    wrapped(key, {
      type: 'object',
      properties: { host: fqdn },
      required: ['host'],
      additionalProperties: false,
    }),
  ]);
export const addHostBody = hostAction('add_host');
export const removeHostBody = hostAction('remove_host');

export const setMetadataBody = byVersion([
  '2.1',
  wrapped('set_metadata', {
    type: 'object',
    properties: {
      metadata: {
        type: 'object',
        patternProperties: { '^[a-zA-Z0-9-_:. ]{1,255}$': { type: ['string', 'null'], maxLength: 255 } },
        additionalProperties: false,
      },
    },
    required: ['metadata'],
    additionalProperties: false,
  }),
]);

export const aggregateImagesBody = byVersion([
  '2.81',
  {
    type: 'object',
    properties: {
      cache: {
        type: 'array',
        minItems: 1,
        items: { type: 'object', properties: { id: uuid }, additionalProperties: false, required: ['id'] },
      },
    },
    required: ['cache'],
    additionalProperties: false,
  },
]);

const HOST_STATE = { type: 'string', enum: ['enable', 'disable', 'Enable', 'Disable', 'ENABLE', 'DISABLE'] };
export const hostUpdateBody = byVersion([
  '2.1',
  {
    type: 'object',
    properties: { status: HOST_STATE, maintenance_mode: HOST_STATE },
    anyOf: [{ required: ['status'] }, { required: ['maintenance_mode'] }],
    additionalProperties: false,
  },
]);

export const hostIndexQuery = byVersion([
  '2.1',
  querySchema({ zone: multiParams({ type: 'string' }) }, true),
]);

const POLICIES_V21 = ['anti-affinity', 'affinity'];
const POLICIES_V215 = [...POLICIES_V21, 'soft-anti-affinity', 'soft-affinity'];

const groupBody = (policies: readonly string[]) =>
  wrapped('server_group', {
    type: 'object',
    properties: {
      name,
      policies: {
        type: 'array',
        prefixItems: [{ type: 'string', enum: policies }],
        uniqueItems: true,
        minItems: 1,
        maxItems: 1,
        items: false,
      },
    },
    required: ['name', 'policies'],
    additionalProperties: false,
  });

export const serverGroupCreateBody = byVersion(
  ['2.1', groupBody(POLICIES_V21)],
  ['2.15', groupBody(POLICIES_V215)],
  [
    '2.64',
    wrapped('server_group', {
      type: 'object',
      properties: {
        name,
        policy: { type: 'string', enum: POLICIES_V215 },
        rules: {
          type: 'object',
          properties: {
            max_server_per_host: { type: ['integer', 'string'], pattern: '^[0-9]*$', minimum: 1 },
          },
          additionalProperties: false,
        },
      },
      required: ['name', 'policy'],
      additionalProperties: false,
    }),
  ],
);

const sgIndex = {
  all_projects: commonQueryParam,
  limit: multiParams(nonNegativeInteger),
  offset: multiParams(nonNegativeInteger),
};
export const serverGroupIndexQuery = byVersion(
  ['2.1', querySchema(sgIndex, true)],
  ['2.75', querySchema(sgIndex, false)],
);
