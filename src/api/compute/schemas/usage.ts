// Simple tenant usage, instance usage audit log, migrations and server external events schemas
// (upstream schemas/simple_tenant_usage.py, instance_usage_audit_log.py, migrations.py,
// server_external_events.py).
import { byVersion } from '../routing/route.ts';
import {
  commonQueryParam,
  multiParams,
  nonNegativeInteger,
  paginationParameters,
  querySchema,
  singleParam,
} from '../validation/params.ts';
import type { JsonSchema } from '../validation/validator.ts';

const str = multiParams({ type: 'string' });
const usageIndex = { start: str, end: str, detailed: str };
const usageShow = { start: str, end: str };

export const usageIndexQuery = byVersion(
  ['2.1', querySchema(usageIndex, true)],
  ['2.40', querySchema({ ...usageIndex, ...paginationParameters }, true)],
  ['2.75', querySchema({ ...usageIndex, ...paginationParameters }, false)],
);

export const usageShowQuery = byVersion(
  ['2.1', querySchema(usageShow, true)],
  ['2.40', querySchema({ ...usageShow, ...paginationParameters }, true)],
  ['2.75', querySchema({ ...usageShow, ...paginationParameters }, false)],
);

export const auditQuery = byVersion(['2.1', querySchema({}, true)], ['2.102', querySchema({}, false)]);

const migrationsV20 = {
  hidden: commonQueryParam,
  host: commonQueryParam,
  instance_uuid: commonQueryParam,
  source_compute: commonQueryParam,
  status: commonQueryParam,
  migration_type: commonQueryParam,
};
const dateTime = singleParam({ type: 'string', format: 'date-time' });
const migrationsV259 = {
  ...migrationsV20,
  limit: singleParam(nonNegativeInteger),
  marker: singleParam({ type: 'string' }),
  'changes-since': dateTime,
};
const migrationsV266 = { ...migrationsV259, 'changes-before': dateTime };
const migrationsV280 = {
  ...migrationsV266,
  user_id: singleParam({ type: 'string' }),
  project_id: singleParam({ type: 'string' }),
};

export const migrationsQuery = byVersion(
  ['2.1', querySchema(migrationsV20, true)],
  ['2.59', querySchema(migrationsV259, false)],
  ['2.66', querySchema(migrationsV266, false)],
  ['2.80', querySchema(migrationsV280, false)],
);

export const EVENT_STATUSES = Object.freeze(['failed', 'completed', 'in-progress']);
const NAMES_V21 = ['network-changed', 'network-vif-plugged', 'network-vif-unplugged', 'network-vif-deleted'];
const NAMES_V251 = [...NAMES_V21, 'volume-extended'];
const NAMES_V276 = [...NAMES_V251, 'power-update'];
const NAMES_V282 = [...NAMES_V276, 'accelerator-request-bound'];
const NAMES_V293 = [...NAMES_V282, 'volume-reimaged'];

const eventsBody = (names: readonly string[]): JsonSchema => ({
  type: 'object',
  properties: {
    events: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', enum: names },
          server_uuid: { type: 'string', format: 'uuid' },
          status: { type: 'string', enum: EVENT_STATUSES },
          tag: { type: 'string', maxLength: 255 },
        },
        required: ['name', 'server_uuid'],
        additionalProperties: false,
      },
    },
  },
  required: ['events'],
  additionalProperties: false,
});

export const externalEventsBody = byVersion(
  ['2.1', eventsBody(NAMES_V21)],
  ['2.51', eventsBody(NAMES_V251)],
  ['2.76', eventsBody(NAMES_V276)],
  ['2.82', eventsBody(NAMES_V282)],
  ['2.93', eventsBody(NAMES_V293)],
);
