// Keystone's links: every entity has {"self": <base>/v3/<collection>/<id>}; every collection has
// {"self", "previous": null, "next": null}.

export function entityLinks(base: string, path: string): { self: string } {
  return { self: `${base}/v3/${path}` };
}

export function collection<T>(
  base: string,
  key: string,
  path: string,
  items: readonly T[],
  query = '',
): Record<string, unknown> {
  return {
    [key]: items,
    links: { self: `${base}/v3/${path}${query}`, previous: null, next: null },
  };
}

/** Keystone's timestamps: ISO 8601 with microseconds and Z. */
export const isoTime = (d: Date): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** Keystone's timestamps without fraction (application credentials' expires_at as given). */
export const isoTimeOrNull = (d: Date | null | undefined): string | null => (d ? isoTime(d) : null);
