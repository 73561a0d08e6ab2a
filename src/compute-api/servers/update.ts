// PUT /servers/{id}: rename, access IPs, description (2.19), hostname (2.90), disk config. A server
// still being built (build request) is updated in its build request as upstream does.
import type { AuthContext } from '../../auth/types.ts';
import type { CellPool } from '../../cells/cell-pool.ts';
import type { Clock } from '../../common/clock.ts';
import type { Database } from '../../db/connect.ts';
import type { ApiDb } from '../../db/tables/api-db.ts';
import type { InstanceChanges } from '../../objects/instance.ts';
import * as instances from '../../objects/instance.ts';
import { locate } from './lookup.ts';

export interface UpdateDeps {
  readonly apiDb: Database<ApiDb>;
  readonly cells: CellPool;
  readonly clock: Clock;
}

/** IPv6 in its canonical compressed form (upstream stores netaddr's text). */
export function canonicalIpv6(v: string): string {
  try {
    return new URL(`http://[${v}]/`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return v;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: validated body.server
export function changesOf(s: any): InstanceChanges {
  const c: Record<string, unknown> = {};
  if (s.name !== undefined) c.display_name = s.name;
  if (s.accessIPv4 !== undefined) c.access_ip_v4 = s.accessIPv4 || null;
  if (s.accessIPv6 !== undefined) c.access_ip_v6 = s.accessIPv6 ? canonicalIpv6(s.accessIPv6) : null;
  if (s.description !== undefined) c.display_description = s.description;
  if (s.hostname !== undefined) c.hostname = s.hostname;
  if (s['OS-DCF:diskConfig'] !== undefined) c.auto_disk_config = s['OS-DCF:diskConfig'] === 'AUTO';
  return c as InstanceChanges;
}

/** Applies the update; returns the owner (for the policy target, checked by the caller first). */
export async function updateServer(
  d: UpdateDeps,
  auth: AuthContext,
  uuid: string,
  // biome-ignore lint/suspicious/noExplicitAny: validated body.server
  s: any,
  authorize: (target: { project_id: string; user_id: string }) => void,
): Promise<void> {
  const l = await locate(d.apiDb, d.cells, auth, uuid);
  const owner = l.kind === 'build' ? l.build.instance : l.instance;
  authorize({ project_id: owner.project_id, user_id: owner.user_id });
  const changes = changesOf(s);
  if (l.kind === 'build') {
    const inst = { ...l.build.instance } as Record<string, unknown>;
    for (const [k, v] of Object.entries(changes)) inst[k] = v;
    await d.apiDb.kysely
      .updateTable('build_requests')
      .set({ instance: JSON.stringify(inst) })
      .where('instance_uuid', '=', uuid)
      .execute();
    return;
  }
  await instances.update(l.cell.db, uuid, changes, d.clock.now());
}
