// Structural comparison of an API response with a sample: the same keys at every level, the same
// array lengths and value types; values equal except volatile ones (ids, uuids, timestamps, hrefs,
// generated keys), which only need the same type.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d/;
const VOLATILE_KEYS = new Set([
  'id',
  'uuid',
  'href',
  'updated_at',
  'created_at',
  'updated',
  'created',
  'fingerprint',
  'public_key',
  'private_key',
  'start',
  'stop',
  'started_at',
  'uptime',
  'hours',
]);

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function volatile(key: string, v: unknown): boolean {
  if (VOLATILE_KEYS.has(key) || key.startsWith('total_')) return true;
  return typeof v === 'string' && (UUID.test(v) || TIME.test(v));
}

/** Differences between actual and expected, as "path: what" lines (empty when they match). */
export function compareStructure(actual: unknown, expected: unknown, path = '$', key = ''): string[] {
  const ka = kind(actual);
  const ke = kind(expected);
  if (volatile(key, expected) && (ka === ke || ka === 'null' || ke === 'null')) return [];
  if (ka !== ke) return [`${path}: ${ka} where the sample has ${ke}`];
  if (ke === 'array') {
    const a = actual as unknown[];
    const e = expected as unknown[];
    if (a.length !== e.length) return [`${path}: ${a.length} items where the sample has ${e.length}`];
    return e.flatMap((x, i) => compareStructure(a[i], x, `${path}[${i}]`, key));
  }
  if (ke === 'object') {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const out: string[] = [];
    for (const k of Object.keys(e)) if (!(k in a)) out.push(`${path}.${k}: missing`);
    for (const k of Object.keys(a)) if (!(k in e)) out.push(`${path}.${k}: not in the sample`);
    for (const k of Object.keys(e)) if (k in a) out.push(...compareStructure(a[k], e[k], `${path}.${k}`, k));
    return out;
  }
  return actual === expected
    ? []
    : [`${path}: ${JSON.stringify(actual)} where the sample has ${JSON.stringify(expected)}`];
}
