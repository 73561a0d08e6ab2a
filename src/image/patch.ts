// PATCH /v2/images/{id} bodies: Glance's JSON-patch dialects (v2.1 = RFC 6902 style `{op, path,
// value}`, v2.0 = draft 4 `{"add": path, value}`), decoded and checked as Glance does, then
// applied to an image giving the changes to store.
import { Fault, Forbidden } from '../faults/fault.ts';
import { PATCH_TYPES } from './errors.ts';
import { badRequest, readOnly, reserved } from './faults.ts';
import type { Image, WritableCore } from './model.ts';
import { isReserved } from './properties.ts';
import type { ImageChanges } from './repo/images.ts';
import { checkImage } from './schemas.ts';

export type PatchOp = 'add' | 'remove' | 'replace';
export interface Change {
  readonly op: PatchOp;
  readonly path: readonly string[];
  readonly value?: unknown;
  readonly draft: 4 | 10;
}

const OPS: readonly PatchOp[] = ['add', 'remove', 'replace'];
const READ_ONLY = [
  'created_at',
  'updated_at',
  'status',
  'checksum',
  'size',
  'virtual_size',
  'direct_url',
  'self',
  'file',
  'schema',
  'id',
  'os_hash_algo',
  'os_hash_value',
];
const WRITABLE_CORE: ReadonlySet<string> = new Set([
  'name',
  'visibility',
  'protected',
  'os_hidden',
  'owner',
  'min_disk',
  'min_ram',
  'disk_format',
  'container_format',
  'tags',
]);

/** Glance's 415 for another media type, with Accept-Patch naming the two it takes. */
export class PatchMediaType extends Fault {
  constructor() {
    super(
      `Image PATCH expects Content-Type one of: ${PATCH_TYPES.join(', ')}`,
      415,
      'image.patch_media_type',
    );
  }
}

export function draftOf(contentType: string | undefined): 4 | 10 {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === PATCH_TYPES[0]) return 4;
  if (type === PATCH_TYPES[1]) return 10;
  throw new PatchMediaType();
}

function decodePointer(pointer: unknown): string[] {
  if (typeof pointer !== 'string')
    throw badRequest(`Pointer \`${String(pointer)}\` does not start with "/".`);
  if (!pointer.startsWith('/')) throw badRequest(`Pointer \`${pointer}\` does not start with "/".`);
  if (/\/\s*?\//.test(pointer.slice(1))) throw badRequest(`Pointer \`${pointer}\` contains adjacent "/".`);
  if (pointer.length > 1 && pointer.endsWith('/')) throw badRequest(`Pointer \`${pointer}\` end with "/".`);
  if (/~[^01]/.test(pointer) || pointer.endsWith('~'))
    throw badRequest(`Pointer \`${pointer}\` contains "~" not part of a recognized escape sequence.`);
  return pointer
    .replace(/^\/+/, '')
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~').trim());
}

function opOf(raw: Record<string, unknown>, draft: 4 | 10): PatchOp {
  if (draft === 10) {
    const op = raw.op;
    if (op === undefined)
      throw badRequest(
        `Unable to find \`op\` in JSON Schema change. It must be one of the following: ${OPS.join(', ')}.`,
      );
    if (!OPS.includes(op as PatchOp))
      throw badRequest(
        `Invalid operation: \`${String(op)}\`. It must be one of the following: ${OPS.join(', ')}.`,
      );
    return op as PatchOp;
  }
  const present = OPS.filter((o) => o in raw);
  if (present.length > 1)
    throw badRequest('Operation objects must contain only one member named "add", "remove", or "replace".');
  if (present.length === 0)
    throw badRequest(
      'Operation objects must contain exactly one member named "add", "remove", or "replace".',
    );
  return present[0];
}

function checkChange(c: Change): void {
  const root = c.path[0];
  if (READ_ONLY.includes(root)) throw readOnly(root);
  if (isReserved(root)) throw reserved(root);
  if (root === 'locations')
    throw new Forbidden("It's not allowed to update locations if locations are invisible.");
  if (c.path.length !== 1) throw badRequest(`Invalid JSON pointer for this resource: '/${c.path.join('/')}'`);
  if (c.op !== 'remove') checkImage({ [root]: c.value });
}

/** The body's changes, checked (400/403 as Glance). */
export function parseChanges(body: unknown, draft: 4 | 10): Change[] {
  if (body === undefined || body === null) throw badRequest('Body expected in request.');
  if (!Array.isArray(body)) throw badRequest('Request body must be a JSON array of operation objects.');
  return body.map((raw) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw badRequest('Operations must be JSON objects.');
    const r = raw as Record<string, unknown>;
    const op = opOf(r, draft);
    if (draft === 10 && !('path' in r)) throw badRequest("Unable to find 'path' in JSON Schema change");
    const path = decodePointer(draft === 10 ? r.path : r[op]);
    if (op !== 'remove' && !('value' in r))
      throw badRequest(`Operation "${op}" requires a member named "value".`);
    const change: Change = { op, path, value: r.value, draft };
    checkChange(change);
    return change;
  });
}

export interface PatchPolicy {
  /** modify_image plus publicize/communitize for visibility; owner changes need an admin. */
  authorize(attr: string, value: unknown): void;
  readonly admin: boolean;
}

function setCore(img: Image, core: Record<string, unknown>, attr: string, value: unknown): void {
  if (
    (attr === 'disk_format' || attr === 'container_format') &&
    !['queued', 'importing'].includes(img.status)
  )
    throw new Forbidden(`Attribute ${attr} can be only replaced for a queued image.`);
  if ((attr === 'min_disk' || attr === 'min_ram') && typeof value === 'number' && value < 0)
    throw badRequest(`Invalid value '${value}' for parameter '${attr}': Cannot be a negative value.`);
  core[attr] = value;
}

const conflict = (msg: string) => new Fault(msg, 409, 'image.patch_conflict');

/** Applies the changes to the image; returns what to store. */
export function applyChanges(img: Image, changes: readonly Change[], policy: PatchPolicy): ImageChanges {
  const core: Record<string, unknown> = {};
  const props: Record<string, string> = { ...img.properties };
  let tags: string[] | undefined;
  for (const c of changes) {
    const attr = c.path[0];
    if (c.op === 'replace' && attr === 'owner' && !policy.admin)
      throw new Forbidden("Owner can't be updated by non admin.");
    policy.authorize(attr, c.value);
    const isCore = WRITABLE_CORE.has(attr);
    if (c.op === 'remove') {
      if (isCore) throw new Forbidden(`Property ${attr} may not be removed.`);
      if (!(attr in props)) throw conflict(`Property ${attr} does not exist.`);
      delete props[attr];
      continue;
    }
    if (c.op === 'replace' && !isCore && !(attr in props)) throw conflict(`Property ${attr} does not exist.`);
    if (c.op === 'add' && c.draft === 4 && (isCore || attr in props))
      throw conflict(`Property ${attr} already present.`);
    if (attr === 'tags') tags = [...(c.value as string[])];
    else if (isCore) setCore(img, core, attr, c.value);
    else props[attr] = c.value as string;
  }
  const removed = Object.keys(img.properties).filter((k) => !(k in props));
  const set = Object.fromEntries(Object.entries(props).filter(([k, v]) => img.properties[k] !== v));
  return {
    core: core as Partial<WritableCore>,
    setProperties: set,
    removeProperties: removed,
    tags,
  };
}
