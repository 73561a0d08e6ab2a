// Timestamps as Nova's JSON shows them: oslo jsonutils serialises datetimes with
// PERFECT_TIME_FORMAT ("%Y-%m-%dT%H:%M:%S.%f": no zone, always six fraction digits).

export function isoTime(d: Date | null): string | null {
  if (!d) return null;
  const base = d.toISOString().slice(0, 19);
  return `${base}.${String(d.getUTCMilliseconds() * 1000).padStart(6, '0')}`;
}

/** The "Z"-less seconds form some views use ("2013-02-07T02:01:50Z" style without fraction). */
export function isoSeconds(d: Date | null): string | null {
  return d ? `${d.toISOString().slice(0, 19)}Z` : null;
}

/** Python's str(datetime): "2012-06-01 00:00:00" (microseconds only when non-zero). */
export function pyDateTime(d: Date): string {
  const base = d.toISOString().slice(0, 19).replace('T', ' ');
  const ms = d.getUTCMilliseconds();
  return ms === 0 ? base : `${base}.${String(ms * 1000).padStart(6, '0')}`;
}
