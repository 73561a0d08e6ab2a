// Server tags (API 2.26+), as upstream's server_tags controller: reads go by the instance mapping
// (the policy target is the mapping's project), changes need the server active, paused, suspended
// or stopped (a server still being built is 409). At most MAX_TAGS per server; a tag is 1–60
// characters without '/' or ','.
import type { CellPool } from '../cells/cell-pool.ts';
import { type CellRef, openCell } from '../cells/lookup.ts';
import type { Database } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import { Invalid, NotFound } from '../faults/fault.ts';
import * as buildRequests from '../objects/build-request.ts';
import * as instances from '../objects/instance.ts';
import * as instanceMappings from '../objects/instance-mapping.ts';
import * as tags from '../objects/tag.ts';
import { invalidState, type Located } from './servers/lookup.ts';

export const TAG_VM_STATES = Object.freeze(['active', 'paused', 'suspended', 'stopped']);
export const MAX_TAG_LENGTH = 60;

/** The server's instance mapping (404 "…has no mapping to a cell." when there is none). */
export function mappingOf(
  apiDb: Database<ApiDb>,
  uuid: string,
): Promise<instanceMappings.InstanceMappingWithCell> {
  return instanceMappings.getByInstanceUuid(apiDb, uuid);
}

/** The tags of a mapped server: its build request's while it is not in a cell, else the cell's. */
export async function currentTags(
  apiDb: Database<ApiDb>,
  cells: CellPool,
  mapping: instanceMappings.InstanceMappingWithCell,
): Promise<string[]> {
  const uuid = mapping.instance_uuid;
  if (!mapping.cell_mapping) {
    const build = await buildRequests.find(apiDb, uuid);
    if (build) return [...build.tags].sort();
    const again = await instanceMappings.getByInstanceUuid(apiDb, uuid);
    if (!again.cell_mapping) throw instances.instanceNotFound(uuid);
    return currentTags(apiDb, cells, again);
  }
  const cell = await openCell(cells, mapping.cell_mapping);
  if (!(await instances.findRecord(cell.db, uuid))) throw instances.instanceNotFound(uuid);
  return tags.list(cell.db, uuid);
}

/** The cell of a server whose tags may change now (409 for a build request or another vm_state). */
export function changeableCell(l: Located, uuid: string, action: string): CellRef {
  if (l.kind === 'build') throw invalidState(uuid, action, 'vm_state', 'building');
  const vmState = l.instance.vm_state;
  if (!TAG_VM_STATES.includes(vmState ?? '')) throw invalidState(uuid, action, 'vm_state', vmState);
  return l.cell;
}

const pyQuote = (s: string): string =>
  s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/** 400 for a tag upstream's schema refuses, worded as upstream (with jsonschema's own message). */
export function checkTag(tag: string): void {
  let why: string | undefined;
  if (tag.length === 0) why = `${pyQuote(tag)} is too short`;
  else if ([...tag].length > MAX_TAG_LENGTH) why = `${pyQuote(tag)} is too long`;
  else if (/[,/]/.test(tag)) why = `${pyQuote(tag)} does not match '^[^,/]*$'`;
  if (why)
    throw new Invalid(
      `Tag '${tag}' is invalid. It must be a non empty string without characters '/' and ','. ` +
        `Validation error message: ${why}`,
    );
}

/** Adds one tag: 'added', or 'exists' when the server already has it (400 beyond MAX_TAGS). */
export async function addTag(cell: CellRef, uuid: string, tag: string): Promise<'added' | 'exists'> {
  const current = await tags.list(cell.db, uuid);
  if (current.length >= tags.MAX_TAGS)
    throw new Invalid(`The number of tags exceeded the per-server limit ${tags.MAX_TAGS}`);
  if (current.includes(tag)) return 'exists';
  return (await tags.add(cell.db, uuid, tag)) ? 'added' : 'exists';
}

export async function replaceTags(cell: CellRef, uuid: string, list: readonly string[]): Promise<string[]> {
  await tags.replaceAll(cell.db, uuid, list);
  return tags.list(cell.db, uuid);
}

export async function removeTag(cell: CellRef, uuid: string, tag: string): Promise<void> {
  if (!(await tags.remove(cell.db, uuid, tag)))
    throw new NotFound(`Instance ${uuid} has no tag '${tag}'`, 'nova.instance_tag_not_found');
}

export async function removeAllTags(cell: CellRef, uuid: string): Promise<void> {
  await tags.removeAll(cell.db, uuid);
}
