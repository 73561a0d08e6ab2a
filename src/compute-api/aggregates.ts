// What upstream's AggregateAPI checks: no empty zone name, no host in two zones, no zone change
// under running instances, only mapped compute hosts added, only empty aggregates deleted.
import type { Clock } from '../common/clock.ts';
import { Conflict, type Fault, Invalid, NotFound } from '../faults/fault.ts';
import type { Aggregate } from '../objects/aggregate.ts';
import * as aggregates from '../objects/aggregate.ts';
import * as hostMappings from '../objects/host-mapping.ts';
import { type CellServiceDeps, listZonedServices } from './cell-services.ts';

export interface AggregateDeps extends CellServiceDeps {
  readonly clock: Clock;
}

type Action = 'add' | 'update' | 'update_meta' | 'delete';

/** InvalidAggregateAction: 400, but a 409 when adding a host (as the add_host handler maps it). */
function invalid(action: Action, id: number, reason: string): Fault {
  const what: Record<Action, string> = {
    add: `Cannot add host to aggregate ${id}. Reason: ${reason}.`,
    update: `Cannot update aggregate ${id}. Reason: ${reason}.`,
    update_meta: `Cannot update metadata of aggregate ${id}. Reason: ${reason}.`,
    delete: `Cannot remove host from aggregate ${id}. Reason: ${reason}.`,
  };
  return action === 'add'
    ? new Conflict(what[action], 'nova.invalid_aggregate_action')
    : new Invalid(what[action], 'nova.invalid_aggregate_action');
}

/** Upstream's is_safe_to_update_az (instance check: hosts with live instances in any cell). */
async function checkZoneChange(
  d: AggregateDeps,
  metadata: Readonly<Record<string, string | null>>,
  agg: Aggregate,
  action: Action,
  hosts: readonly string[] = agg.hosts,
): Promise<void> {
  if (!('availability_zone' in metadata)) return;
  const zone = metadata.availability_zone;
  if (!zone)
    throw invalid(action, agg.id, `Aggregate ${agg.name} does not support empty named availability zone`);
  const conflicting = (await aggregates.listByMetadataKey(d.apiDb, 'availability_zone', hosts))
    .filter((a) => a.id !== agg.id && a.availability_zone !== zone)
    .map((a) => `'${a.availability_zone}'`);
  if (conflicting.length > 0)
    throw invalid(
      action,
      agg.id,
      `One or more hosts already in availability zone(s) [${conflicting.join(', ')}]`,
    );
}

export async function createAggregate(
  d: AggregateDeps,
  name: string,
  zone: string | null,
): Promise<Aggregate> {
  return aggregates.create(d.apiDb, name, zone ? { availability_zone: zone } : {}, d.clock.now());
}

export async function updateAggregate(
  d: AggregateDeps,
  id: number,
  values: { readonly name?: string; readonly availability_zone?: string | null },
): Promise<Aggregate> {
  const agg = await aggregates.getById(d.apiDb, id);
  if (values.name !== undefined) await aggregates.rename(d.apiDb, id, values.name, d.clock.now());
  if ('availability_zone' in values) {
    const meta = { availability_zone: values.availability_zone ?? null };
    await checkZoneChange(d, meta, agg, 'update');
    await aggregates.updateMetadata(d.apiDb, id, meta, d.clock.now());
  }
  return aggregates.getById(d.apiDb, id);
}

export async function setMetadata(
  d: AggregateDeps,
  id: number,
  metadata: Readonly<Record<string, string | null>>,
): Promise<Aggregate> {
  const agg = await aggregates.getById(d.apiDb, id);
  await checkZoneChange(d, metadata, agg, 'update_meta');
  await aggregates.updateMetadata(d.apiDb, id, metadata, d.clock.now());
  return aggregates.getById(d.apiDb, id);
}

export async function addHost(d: AggregateDeps, id: number, host: string): Promise<Aggregate> {
  const agg = await aggregates.getById(d.apiDb, id);
  const mapped = await hostMappings.findByHost(d.apiDb, host);
  const compute = (await listZonedServices(d)).some(
    (s) => s.service.host === host && s.service.binary === 'nova-compute',
  );
  if (!mapped || !compute)
    throw new NotFound(`Compute host ${host} could not be found.`, 'nova.compute_host_not_found');
  if (agg.availability_zone)
    await checkZoneChange(d, { availability_zone: agg.availability_zone }, agg, 'add', [host]);
  await aggregates.addHost(d.apiDb, id, host, d.clock.now());
  return aggregates.getById(d.apiDb, id);
}

export async function removeHost(d: AggregateDeps, id: number, host: string): Promise<Aggregate> {
  try {
    await aggregates.getById(d.apiDb, id);
    await aggregates.removeHost(d.apiDb, id, host);
  } catch (err) {
    if (err instanceof NotFound) throw new NotFound(`Cannot remove host ${host} in aggregate ${id}`);
    throw err;
  }
  return aggregates.getById(d.apiDb, id);
}

export async function deleteAggregate(d: AggregateDeps, id: number): Promise<void> {
  const agg = await aggregates.getById(d.apiDb, id);
  if (agg.hosts.length > 0)
    throw new Invalid(`Cannot remove host from aggregate ${id}. Reason: Host aggregate is not empty.`);
  await aggregates.destroy(d.apiDb, id);
}
