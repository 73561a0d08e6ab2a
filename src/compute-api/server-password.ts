// The encrypted admin password a guest posted to the metadata service, kept in the instance's
// system metadata as up to four 255-character chunks password_0 … password_3 (upstream
// nova/api/metadata/password.py). The API shows it and clears it; it never changes the guest.
import type { CellRef } from '../cells/lookup.ts';
import type { Metadata } from '../objects/instance-metadata.ts';
import * as meta from '../objects/instance-metadata.ts';

export const PASSWORD_CHUNKS = 4;
export const PASSWORD_CHUNK_LENGTH = 255;

/** The chunks concatenated in key order; undefined when there are none or all are empty. */
export function extractPassword(systemMetadata: Metadata): string | undefined {
  const keys = Object.keys(systemMetadata)
    .filter((k) => k.startsWith('password_'))
    .sort();
  const joined = keys.map((k) => systemMetadata[k]).join('');
  return joined === '' ? undefined : joined;
}

/** The system metadata items storing `password` ('' or null clears every chunk). */
export function passwordItems(password: string | null): Record<string, string> {
  let rest = password ?? '';
  const out: Record<string, string> = {};
  for (let i = 0; i < PASSWORD_CHUNKS; i++) {
    out[`password_${i}`] = rest.slice(0, PASSWORD_CHUNK_LENGTH);
    rest = rest.slice(PASSWORD_CHUNK_LENGTH);
  }
  return out;
}

/** Stores (or with null clears) the password of an instance. */
export async function savePassword(
  cell: CellRef,
  uuid: string,
  password: string | null,
  now: Date,
): Promise<void> {
  await meta.set(cell.db, 'instance_system_metadata', uuid, passwordItems(password), false, now);
}
