// Row values differ by engine: PG returns int8/count(*) as strings, MySQL/SQLite return booleans
// as 0/1. Repositories read every column through these.

/** A number from a number, bigint or numeric string (PG int8, count(*)). */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' || typeof v === 'string') return Number(v);
  throw new Error(`expected a number from the database, got ${typeof v}`);
}

export function toNumberOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : toNumber(v);
}

/** A boolean from true/false, 0/1 or '0'/'1'. */
export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v) !== 0;
  if (typeof v === 'string') return v !== '0' && v !== '' && v.toLowerCase() !== 'false';
  return Boolean(v);
}
