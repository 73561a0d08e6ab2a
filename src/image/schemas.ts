// The JSON schemas Glance serves at /v2/schemas/{image,images,member,members} and validates
// image bodies with. Free-form properties are strings (PermissiveSchema). Validation failures
// read as Glance's ("Provided object does not match schema 'image': …").
import { Ajv, type ErrorObject } from 'ajv';
import { badRequest } from './faults.ts';
import { CONTAINER_FORMATS, DISK_FORMATS, IMAGE_STATUSES, MEMBER_STATUSES, VISIBILITIES } from './model.ts';

const nullableString = (description: string, maxLength?: number) => ({
  type: ['null', 'string'],
  description,
  ...(maxLength ? { maxLength } : {}),
});
const readOnly = <T extends object>(s: T) => ({ ...s, readOnly: true });

export const IMAGE_PROPERTIES = Object.freeze({
  id: {
    type: 'string',
    description: 'An identifier for the image',
    pattern: '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$',
  },
  name: nullableString('Descriptive name for the image', 255),
  status: readOnly({ type: 'string', description: 'Status of the image', enum: [...IMAGE_STATUSES] }),
  visibility: { type: 'string', description: 'Scope of image accessibility', enum: [...VISIBILITIES] },
  protected: { type: 'boolean', description: 'If true, image will not be deletable.' },
  os_hidden: {
    type: 'boolean',
    description: 'If true, image will not appear in default image list response.',
  },
  checksum: readOnly(nullableString('md5 hash of image contents.', 32)),
  os_hash_algo: readOnly(nullableString('Algorithm to calculate the os_hash_value', 64)),
  os_hash_value: readOnly(
    nullableString('Hexdigest of the image contents using the algorithm specified by the os_hash_algo', 128),
  ),
  owner: nullableString('Owner of the image', 255),
  size: readOnly({ type: ['null', 'integer'], description: 'Size of image file in bytes' }),
  virtual_size: readOnly({ type: ['null', 'integer'], description: 'Virtual size of image in bytes' }),
  container_format: {
    type: ['null', 'string'],
    description: 'Format of the container',
    enum: [null, ...CONTAINER_FORMATS],
  },
  disk_format: { type: ['null', 'string'], description: 'Format of the disk', enum: [null, ...DISK_FORMATS] },
  created_at: readOnly({ type: 'string', description: 'Date and time of image registration' }),
  updated_at: readOnly({ type: 'string', description: 'Date and time of the last image modification' }),
  tags: {
    type: 'array',
    description: 'List of strings related to the image',
    items: { type: 'string', maxLength: 255 },
  },
  direct_url: readOnly({
    type: 'string',
    description: 'URL to access the image file kept in external store',
  }),
  min_ram: { type: 'integer', description: 'Amount of ram (in MB) required to boot image.' },
  min_disk: { type: 'integer', description: 'Amount of disk space (in GB) required to boot image.' },
  self: readOnly({ type: 'string', description: 'An image self url' }),
  file: readOnly({ type: 'string', description: 'An image file url' }),
  schema: readOnly({ type: 'string', description: 'An image schema url' }),
});

export const IMAGE_SCHEMA = Object.freeze({
  name: 'image',
  properties: IMAGE_PROPERTIES,
  additionalProperties: { type: 'string' },
  links: [
    { rel: 'self', href: '{self}' },
    { rel: 'enclosure', href: '{file}' },
    { rel: 'describedby', href: '{schema}' },
  ],
});

const collection = (name: string, items: object, extra: Record<string, object> = {}) =>
  Object.freeze({
    name,
    properties: {
      [name]: { type: 'array', items },
      schema: { type: 'string' },
      ...extra,
    },
    links: [
      ...('first' in extra
        ? [
            { rel: 'first', href: '{first}' },
            { rel: 'next', href: '{next}' },
          ]
        : []),
      { rel: 'describedby', href: '{schema}' },
    ],
  });

export const IMAGES_SCHEMA = collection('images', IMAGE_SCHEMA, {
  first: { type: 'string' },
  next: { type: 'string' },
});

export const MEMBER_SCHEMA = Object.freeze({
  name: 'member',
  properties: {
    member_id: { type: 'string', description: 'An identifier for the image member (tenantId)' },
    image_id: {
      type: 'string',
      description: 'An identifier for the image',
      pattern: IMAGE_PROPERTIES.id.pattern,
    },
    created_at: { type: 'string', description: 'Date and time of image member creation' },
    updated_at: { type: 'string', description: 'Date and time of last modification of image member' },
    status: { type: 'string', description: 'The status of this image member', enum: [...MEMBER_STATUSES] },
    schema: readOnly({ type: 'string' }),
  },
});

export const MEMBERS_SCHEMA = collection('members', MEMBER_SCHEMA);

/** Python's repr of a JSON value, as jsonschema's messages print it. */
function pyRepr(v: unknown): string {
  if (v === null) return 'None';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function describe(e: ErrorObject, value: unknown): string {
  switch (e.keyword) {
    case 'enum':
      return `${pyRepr(value)} is not one of ${pyRepr((e.params as { allowedValues: unknown[] }).allowedValues)}`;
    case 'type':
      return `${pyRepr(value)} is not of type ${pyRepr((e.params as { type: unknown }).type)}`;
    case 'maxLength':
      return `${pyRepr(value)} is too long`;
    case 'pattern':
      return `${pyRepr(value)} does not match ${pyRepr((e.params as { pattern: string }).pattern)}`;
    default:
      return e.message ?? 'is invalid';
  }
}

function valueAt(body: unknown, pointer: string): unknown {
  let cur = body;
  for (const part of pointer.split('/').slice(1)) cur = (cur as Record<string, unknown>)?.[part];
  return cur;
}

const ajv = new Ajv({ strict: false, allErrors: false });
const validateImage = ajv.compile({ type: 'object', ...IMAGE_SCHEMA });

/** Throws Glance's 400 when `body` (a whole or partial image) does not match the image schema. */
export function checkImage(body: Readonly<Record<string, unknown>>): void {
  if (validateImage(body)) return;
  const e = (validateImage.errors ?? [])[0];
  if (!e) throw badRequest("Provided object does not match schema 'image'");
  throw badRequest(
    `Provided object does not match schema 'image': ${describe(e, valueAt(body, e.instancePath))}`,
  );
}
