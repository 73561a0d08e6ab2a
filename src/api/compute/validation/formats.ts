// The JSON-schema formats upstream's validators check (nova/api/validation/validators.py).
import { isIP } from 'node:net';
import { isUuidLike } from '../../../compute-api/uuids.ts';
import { NAME_FORMATS } from './names.ts';

export { isUuidLike };

function isRegex(v: string): boolean {
  if (v === '') return false;
  // Python's re accepts escapes JavaScript's unicode mode refuses (`\-`): either form will do.
  for (const flags of ['u', '']) {
    try {
      new RegExp(v, flags);
      return true;
    } catch {}
  }
  return false;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function isDateTime(v: string): boolean {
  return ISO_RE.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T')));
}

function isCidr(v: string): boolean {
  const [addr, len, extra] = v.split('/');
  if (extra !== undefined || len === undefined || !/^\d+$/.test(len)) return false;
  const kind = isIP(addr);
  return kind !== 0 && Number(len) <= (kind === 4 ? 32 : 128);
}

/** format name → checker (strings only; other types pass, as upstream). */
export const FORMATS: Readonly<Record<string, (v: string) => boolean>> = Object.freeze({
  uuid: isUuidLike,
  regex: isRegex,
  'date-time': isDateTime,
  cidr: isCidr,
  ipv4: (v: string) => isIP(v) === 4,
  ipv6: (v: string) => isIP(v) === 6,
  uri: (v: string) => /^[a-z][a-z0-9+.-]*:\/\/[^\s/]+/i.test(v),
  base64: (v: string) => /^[A-Za-z0-9+/]*={0,2}$/.test(v.replace(/\s/g, '')) && v.length % 4 === 0,
  ...Object.fromEntries(Object.entries(NAME_FORMATS).map(([k, f]) => [k, (v: string) => f.test.test(v)])),
});
