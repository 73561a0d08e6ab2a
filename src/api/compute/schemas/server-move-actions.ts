// Request schemas of the server actions that move or re-image a server (resize, migrate, live
// migrate, evacuate, shelve family, rebuild, createImage, createBackup), by microversion.
import { byVersion } from '../routing/route.ts';
import type { JsonSchema } from '../validation/validator.ts';

const action = (name: string, inner: JsonSchema, required = true): JsonSchema => ({
  type: 'object',
  properties: { [name]: inner },
  ...(required ? { required: [name] } : {}),
  additionalProperties: false,
});

const obj = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  ...(required.length > 0 ? { required } : {}),
  additionalProperties: false,
});

const nonEmpty: JsonSchema = { type: 'string', minLength: 1, maxLength: 255 };
const hostName: JsonSchema = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9-._]*$' };
const flavorRef: JsonSchema = { type: ['string', 'integer'], minLength: 1 };
const boolish: JsonSchema = {
  type: ['boolean', 'string'],
  enum: [true, false, 'True', 'False', 'true', 'false', '1', '0', 'on', 'off', 'yes', 'no'],
};
const metadata: JsonSchema = {
  type: 'object',
  patternProperties: { '^[a-zA-Z0-9-_:. ]{1,255}$': { type: 'string', maxLength: 255 } },
  additionalProperties: false,
};
const diskConfig: JsonSchema = { type: 'string', enum: ['AUTO', 'MANUAL'] };

export const resize = byVersion([
  '2.1',
  action('resize', obj({ flavorRef, 'OS-DCF:diskConfig': diskConfig }, ['flavorRef'])),
]);

export const migrate = byVersion(
  ['2.1', action('migrate', {})],
  [
    '2.56',
    action('migrate', {
      type: ['object', 'null'],
      properties: { host: { ...hostName, type: ['string', 'null'] } },
      additionalProperties: false,
    }),
  ],
);

const liveHost: JsonSchema = { type: ['string', 'null'], minLength: 1, maxLength: 255 };
export const migrateLive = byVersion(
  [
    '2.1',
    action(
      'os-migrateLive',
      obj({ host: liveHost, block_migration: boolish, disk_over_commit: boolish }, [
        'block_migration',
        'disk_over_commit',
        'host',
      ]),
    ),
  ],
  [
    '2.25',
    action(
      'os-migrateLive',
      obj({ host: liveHost, block_migration: { anyOf: [boolish, { type: 'string', enum: ['auto'] }] } }, [
        'block_migration',
        'host',
      ]),
    ),
  ],
  [
    '2.30',
    action(
      'os-migrateLive',
      obj(
        {
          host: liveHost,
          block_migration: { anyOf: [boolish, { type: 'string', enum: ['auto'] }] },
          force: boolish,
        },
        ['block_migration', 'host'],
      ),
    ),
  ],
  [
    '2.68',
    action(
      'os-migrateLive',
      obj({ host: liveHost, block_migration: { anyOf: [boolish, { type: 'string', enum: ['auto'] }] } }, [
        'block_migration',
        'host',
      ]),
    ),
  ],
);

const adminPass: JsonSchema = { type: 'string' };
export const evacuate = byVersion(
  [
    '2.1',
    action('evacuate', obj({ host: hostName, onSharedStorage: boolish, adminPass }, ['onSharedStorage'])),
  ],
  ['2.14', action('evacuate', obj({ host: hostName, adminPass }))],
  ['2.29', action('evacuate', obj({ host: hostName, adminPass, force: boolish }))],
  ['2.68', action('evacuate', obj({ host: hostName, adminPass }))],
);

export const unshelve = byVersion(
  ['2.1', action('unshelve', {})],
  [
    '2.77',
    action('unshelve', {
      type: ['object', 'null'],
      properties: { availability_zone: nonEmpty },
      required: ['availability_zone'],
      additionalProperties: false,
    }),
  ],
  [
    '2.91',
    action('unshelve', {
      type: ['object', 'null'],
      properties: {
        availability_zone: { type: ['string', 'null'], minLength: 1, maxLength: 255 },
        host: hostName,
      },
      minProperties: 1,
      additionalProperties: false,
    }),
  ],
);

const rebuildProps = (mv: number): Record<string, JsonSchema> => ({
  imageRef: { type: 'string', minLength: 1 },
  name: { type: 'string', minLength: 1, maxLength: 255 },
  adminPass,
  metadata,
  preserve_ephemeral: boolish,
  accessIPv4: { type: ['string', 'null'], format: 'ipv4' },
  accessIPv6: { type: ['string', 'null'], format: 'ipv6' },
  'OS-DCF:diskConfig': diskConfig,
  ...(mv < 257 ? { personality: { type: 'array', items: { type: 'object' } } } : {}),
  ...(mv >= 219 ? { description: { type: ['string', 'null'], maxLength: 255 } } : {}),
  ...(mv >= 254 ? { key_name: { type: ['string', 'null'], minLength: 1, maxLength: 255 } } : {}),
  ...(mv >= 257 ? { user_data: { type: ['string', 'null'], maxLength: 65535 } } : {}),
  ...(mv >= 263
    ? {
        trusted_image_certificates: {
          type: ['array', 'null'],
          minItems: 1,
          maxItems: 50,
          uniqueItems: true,
          items: { type: 'string', minLength: 1 },
        },
      }
    : {}),
  ...(mv >= 290 ? { hostname: { type: 'string', minLength: 1, maxLength: 255 } } : {}),
});
export const rebuild = byVersion(
  ...([100, 219, 254, 257, 263, 290] as const).map(
    (v) => [`2.${v === 100 ? 1 : v - 200}`, action('rebuild', obj(rebuildProps(v), ['imageRef']))] as const,
  ),
);

export const createImage = byVersion([
  '2.1',
  action('createImage', obj({ name: nonEmpty, metadata }, ['name'])),
]);

export const createBackup = byVersion([
  '2.1',
  action(
    'createBackup',
    obj(
      {
        name: nonEmpty,
        backup_type: { type: 'string' },
        rotation: { type: ['integer', 'string'], pattern: '^[0-9]+$', minimum: 0 },
        metadata,
      },
      ['name', 'backup_type', 'rotation'],
    ),
  ),
]);
