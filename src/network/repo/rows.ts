// Row helpers shared by the repositories: JSON columns, timestamps, the standard attributes.
import { fromDbTime, toDbTime } from '../../db/time.ts';
import { toNumber } from '../../db/values.ts';
import { isoTime } from '../context.ts';

export const parseJson = <T>(text: string | null | undefined, fallback: T): T => {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

interface StandardRow {
  id: string;
  project_id: string;
  created_at: string | Date | null;
  updated_at: string | Date | null;
  revision_number: number;
}

export const standardOf = (r: StandardRow) => ({
  id: r.id,
  project_id: r.project_id,
  created_at: isoTime(fromDbTime(r.created_at)),
  updated_at: isoTime(fromDbTime(r.updated_at ?? r.created_at)),
  revision_number: toNumber(r.revision_number),
});

export const stamp = (now: Date) => {
  const ts = toDbTime(now);
  return { created_at: ts, updated_at: ts };
};
