// Timestamps as Nova's JSON shows them: Python's isoformat() of a naive UTC datetime
// ("2014-05-07T12:06:13.681238", no zone, microseconds only when non-zero).

export function isoTime(d: Date | null): string | null {
  if (!d) return null;
  const base = d.toISOString().slice(0, 19);
  const ms = d.getUTCMilliseconds();
  return ms === 0 ? base : `${base}.${String(ms * 1000).padStart(6, '0')}`;
}

/** The "Z"-less seconds form some views use ("2013-02-07T02:01:50Z" style without fraction). */
export function isoSeconds(d: Date | null): string | null {
  return d ? `${d.toISOString().slice(0, 19)}Z` : null;
}
