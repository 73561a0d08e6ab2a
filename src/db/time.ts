// One representation for timestamps on every engine: UTC `YYYY-MM-DD HH:MM:SS.mmm` text going in
// (datetime(3) on MySQL/SQLite, timestamp(3) without zone on PostgreSQL), JS Date coming out.

/** A Date as the UTC text every engine stores. */
export function toDbTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

export function toDbTimeOrNull(d: Date | null | undefined): string | null {
  return d ? toDbTime(d) : null;
}

const TEXT_RE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?$/;

/** A stored timestamp (UTC text, Date, or epoch ms) as a Date; null stays null. */
export function fromDbTime(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return new Date(v.getTime());
  if (typeof v === 'number') return new Date(v);
  const m = TEXT_RE.exec(String(v));
  if (!m) throw new Error(`unreadable timestamp from the database: ${String(v)}`);
  return new Date(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`);
}

/** fromDbTime for NOT NULL columns. */
export function fromDbTimeStrict(v: unknown): Date {
  const d = fromDbTime(v);
  if (!d) throw new Error('a required timestamp is NULL in the database');
  return d;
}
