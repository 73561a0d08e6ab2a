// POST /servers request schemas by microversion (facts from upstream's api-ref: which fields exist
// from which version, their types and limits). The handler in routes/servers.ts reads the result.
import { byVersion } from '../routing/route.ts';
import { boolean, description, name, positiveInteger } from '../validation/params.ts';
import type { JsonSchema } from '../validation/validator.ts';

type Props = Record<string, JsonSchema>;

const str255: JsonSchema = { type: 'string', maxLength: 255 };
const imageRef: JsonSchema = { type: 'string', maxLength: 255 };
const metadata: JsonSchema = {
  type: 'object',
  patternProperties: { '^[a-zA-Z0-9-_:. ]{1,255}$': { type: 'string', maxLength: 255 } },
  additionalProperties: false,
};
const tag: JsonSchema = { type: 'string', pattern: '^[^,/]*$', minLength: 1, maxLength: 60 };
const ipv4: JsonSchema = { type: 'string', format: 'ipv4' };
const ipv6: JsonSchema = { type: 'string', format: 'ipv6' };

const network = (withTag: boolean): JsonSchema => ({
  type: 'object',
  properties: {
    fixed_ip: { type: 'string', oneOf: [{ format: 'ipv4' }, { format: 'ipv6' }] },
    port: { type: ['string', 'null'], format: 'uuid' },
    uuid: { type: 'string' },
    ...(withTag ? { tag } : {}),
  },
  additionalProperties: false,
});

const bdmV2 = (mv: { tag: boolean; volumeType: boolean }): JsonSchema => ({
  type: 'object',
  properties: {
    source_type: { type: 'string', enum: ['volume', 'image', 'snapshot', 'blank'] },
    uuid: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9._-]*$' },
    image_id: { type: 'string', format: 'uuid' },
    destination_type: { type: 'string', enum: ['local', 'volume'] },
    guest_format: { type: 'string', maxLength: 255 },
    device_type: { type: 'string', maxLength: 255 },
    disk_bus: { type: 'string', maxLength: 255 },
    boot_index: { type: ['integer', 'string', 'null'], pattern: '^-?[0-9]+$' },
    device_name: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9._/-]*$' },
    volume_size: { type: ['integer', 'string'], pattern: '^[0-9]+$', minimum: 1, maximum: 0x7fffffff },
    delete_on_termination: boolean,
    no_device: {},
    volume_id: { type: 'string', format: 'uuid' },
    snapshot_id: { type: 'string', format: 'uuid' },
    ...(mv.tag ? { tag } : {}),
    ...(mv.volumeType ? { volume_type: { type: ['string', 'null'], minLength: 0, maxLength: 255 } } : {}),
  },
  additionalProperties: false,
});

const legacyBdm: JsonSchema = {
  type: 'object',
  properties: {
    virtual_name: str255,
    volume_id: { type: 'string', format: 'uuid' },
    snapshot_id: { type: 'string', format: 'uuid' },
    volume_size: { type: ['integer', 'string'], pattern: '^[0-9]+$', minimum: 1 },
    device_name: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9._/-]*$' },
    delete_on_termination: boolean,
    no_device: {},
    connection_info: { type: 'string', maxLength: 16777215 },
  },
  additionalProperties: false,
};

const personality: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: { path: { type: 'string' }, contents: { type: 'string', format: 'base64' } },
    additionalProperties: false,
  },
};

const schedulerHints: JsonSchema = {
  type: 'object',
  properties: {
    group: { type: 'string', format: 'uuid' },
    different_host: {
      oneOf: [
        { type: 'string', format: 'uuid' },
        { type: 'array', items: { type: 'string', format: 'uuid' } },
      ],
    },
    same_host: { type: ['string', 'array'], items: { type: 'string', format: 'uuid' } },
    query: { type: ['string', 'object'] },
    target_cell: { type: 'string', minLength: 1, maxLength: 255 },
    different_cell: { type: ['string', 'array'], items: { type: 'string' } },
    build_near_host_ip: { type: 'string', oneOf: [{ format: 'ipv4' }, { format: 'ipv6' }] },
    cidr: { type: 'string', pattern: '^/[0-9a-f.:]+$' },
  },
  additionalProperties: true,
};

interface Level {
  readonly description: boolean;
  readonly netTags: boolean;
  readonly networksRequired: boolean;
  readonly tags: boolean;
  readonly personality: boolean;
  readonly userDataMax: number | undefined;
  readonly trustedCerts: boolean;
  readonly volumeType: boolean;
  readonly hostFields: boolean;
  readonly hostname: 'none' | 'short' | 'fqdn';
}

function server(l: Level): JsonSchema {
  const networks: JsonSchema = l.networksRequired
    ? {
        oneOf: [
          { type: 'array', items: network(true) },
          { type: 'string', enum: ['none', 'auto'] },
        ],
      }
    : { type: 'array', items: network(l.netTags) };
  const props: Props = {
    name: l.description ? name : { ...name, format: 'name_with_leading_trailing_spaces' },
    imageRef,
    flavorRef: { type: ['string', 'integer'], minLength: 1 },
    adminPass: { type: 'string' },
    metadata,
    networks,
    'OS-DCF:diskConfig': { type: 'string', enum: ['AUTO', 'MANUAL'] },
    accessIPv4: ipv4,
    accessIPv6: ipv6,
    availability_zone: name, // 'az', 'az:host', 'az:host:node' (':' allowed, unlike aggregate zone names)
    block_device_mapping: { type: 'array', items: legacyBdm },
    block_device_mapping_v2: { type: 'array', items: bdmV2({ tag: l.netTags, volumeType: l.volumeType }) },
    config_drive: boolean,
    key_name: str255,
    min_count: positiveInteger,
    max_count: positiveInteger,
    return_reservation_id: boolean,
    security_groups: {
      type: 'array',
      items: { type: 'object', properties: { name: str255 }, additionalProperties: false },
    },
    user_data: { type: 'string', format: 'base64', ...(l.userDataMax ? { maxLength: l.userDataMax } : {}) },
  };
  if (l.personality) props.personality = personality;
  if (l.description) props.description = description;
  if (l.tags) props.tags = { type: 'array', items: tag, maxItems: 50 };
  if (l.trustedCerts)
    props.trusted_image_certificates = {
      type: ['array', 'null'],
      minItems: 1,
      maxItems: 50,
      uniqueItems: true,
      items: { type: 'string', minLength: 1 },
    };
  if (l.hostFields) {
    props.host = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9-._]*$' };
    props.hypervisor_hostname = {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      pattern: '^[a-zA-Z0-9-._]*$',
    };
  }
  if (l.hostname === 'short')
    props.hostname = { type: 'string', minLength: 1, maxLength: 63, pattern: '^[a-zA-Z0-9][a-zA-Z0-9-._]*$' };
  if (l.hostname === 'fqdn')
    props.hostname = {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      pattern: '^[a-zA-Z0-9][a-zA-Z0-9-._]*$',
    };
  return {
    type: 'object',
    properties: props,
    required: l.networksRequired ? ['name', 'flavorRef', 'networks'] : ['name', 'flavorRef'],
    additionalProperties: false,
  };
}

function body(l: Level): JsonSchema {
  return {
    type: 'object',
    properties: {
      server: server(l),
      'os:scheduler_hints': schedulerHints,
      'OS-SCH-HNT:scheduler_hints': schedulerHints,
    },
    required: ['server'],
    additionalProperties: false,
  };
}

const L21: Level = {
  description: false,
  netTags: false,
  networksRequired: false,
  tags: false,
  personality: true,
  userDataMax: undefined,
  trustedCerts: false,
  volumeType: false,
  hostFields: false,
  hostname: 'none',
};
const L219 = { ...L21, description: true };
const L232 = { ...L219, netTags: true };
const L237 = { ...L232, networksRequired: true };
const L252 = { ...L237, tags: true };
const L257 = { ...L252, personality: false, userDataMax: 65535 };
const L263 = { ...L257, trustedCerts: true };
const L267 = { ...L263, volumeType: true };
const L274 = { ...L267, hostFields: true };
const L290 = { ...L274, hostname: 'short' as const };
const L294 = { ...L290, hostname: 'fqdn' as const };

export const createBody = byVersion(
  ['2.1', body(L21)],
  ['2.19', body(L219)],
  ['2.32', body(L232)],
  ['2.37', body(L237)],
  ['2.52', body(L252)],
  ['2.57', body(L257)],
  ['2.63', body(L263)],
  ['2.67', body(L267)],
  ['2.74', body(L274)],
  ['2.90', body(L290)],
  ['2.94', body(L294)],
);
