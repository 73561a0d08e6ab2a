// What upstream's os-server-external-events does with a batch of events: find each instance
// through its mapping and its cell, answer 404 for unknown instances, 400 for events that need a
// tag and have none, 422 for instances not on a host yet, and hand the rest to the computes.
import type { Database } from '../db/connect.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import * as instanceMappings from '../objects/instance-mapping.ts';
import * as instanceReports from '../objects/instance-reports.ts';
import { type CellServiceDeps, openCell } from './cell-services.ts';

/** Events that need a tag (port id, volume id, power state, ARQ uuid). */
export const TAG_REQUIRED = Object.freeze(['volume-extended', 'power-update', 'accelerator-request-bound']);

export interface ExternalEvent {
  readonly server_uuid: string;
  readonly name: string;
  readonly status?: string;
  readonly tag?: string;
}

/** An event accepted for an instance on a host, to be delivered to that host's compute. */
export interface AcceptedEvent {
  readonly instance_uuid: string;
  readonly host: string;
  readonly name: string;
  readonly status: string;
  readonly tag: string | null;
}

/** Delivers accepted events to the computes (compute RPC external_instance_event, by host). */
export interface ExternalEventSink {
  deliver(events: readonly AcceptedEvent[]): Promise<void>;
}

export interface EventResult extends ExternalEvent {
  readonly status: string;
  readonly code: 200 | 400 | 404 | 422;
}

/** instance uuid → its host (null: not on a host) for the instances that exist in a cell. */
async function hostsOf(d: CellServiceDeps, uuids: readonly string[]): Promise<Map<string, string | null>> {
  const byCell = new Map<string, { db: Promise<Database<CellDb>>; uuids: string[] }>();
  for (const m of await instanceMappings.listByInstanceUuids(d.apiDb, uuids)) {
    if (!m.cell_mapping) continue;
    const entry = byCell.get(m.cell_mapping.uuid) ?? { db: openCell(d, m.cell_mapping), uuids: [] };
    entry.uuids.push(m.instance_uuid);
    byCell.set(m.cell_mapping.uuid, entry);
  }
  const out = new Map<string, string | null>();
  for (const { db, uuids: inCell } of byCell.values())
    for (const i of await instanceReports.locate(await db, inCell)) out.set(i.uuid, i.host);
  return out;
}

export interface EventOutcome {
  readonly results: readonly EventResult[];
  readonly accepted: readonly AcceptedEvent[];
  /** 200 when every event was accepted, else 207. */
  readonly status: 200 | 207;
}

export async function processEvents(
  d: CellServiceDeps,
  events: readonly ExternalEvent[],
): Promise<EventOutcome> {
  const hosts = await hostsOf(d, [...new Set(events.map((e) => e.server_uuid))]);
  const results: EventResult[] = [];
  const accepted: AcceptedEvent[] = [];
  for (const e of events) {
    const host = hosts.get(e.server_uuid);
    const fail = (code: 400 | 404 | 422): EventResult => ({ ...e, status: 'failed', code });
    if (host === undefined) {
      d.log?.debug({ event: e.name, instance: e.server_uuid }, 'Dropping event for unknown instance');
      results.push(fail(404));
    } else if (TAG_REQUIRED.includes(e.name) && e.tag === undefined) {
      results.push(fail(400));
    } else if (host) {
      accepted.push({
        instance_uuid: e.server_uuid,
        host,
        name: e.name,
        status: e.status ?? 'completed',
        tag: e.tag ?? null,
      });
      results.push({ ...e, status: 'completed', code: 200 });
    } else {
      results.push(fail(422));
    }
  }
  return { results, accepted, status: results.every((r) => r.code === 200) ? 200 : 207 };
}
