// Allocations read back per consumer and per provider, and deleted per consumer. Writes live in
// allocation-write.ts. Owns its SQL.
import { fromDbTime } from '../../db/time.ts';
import { toNumber, toNumberOrNull } from '../../db/values.ts';
import type { PlacementDbHandle as Db } from '../context.ts';
import { deleteConsumersWithoutAllocations } from './consumer.ts';

export interface ConsumerAllocation {
  readonly provider_id: number;
  readonly provider_uuid: string;
  readonly provider_generation: number;
  readonly resource_class: string;
  readonly resource_class_id: number;
  readonly used: number;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
}

export interface ConsumerAllocations {
  readonly consumer_uuid: string;
  readonly project_id: string;
  readonly user_id: string;
  readonly generation: number;
  readonly consumer_type: string | null;
  readonly allocations: readonly ConsumerAllocation[];
}

export async function allocationsOfConsumer(
  db: Db,
  consumerUuid: string,
): Promise<ConsumerAllocations | undefined> {
  const rows = await db.kysely
    .selectFrom('allocations as a')
    .innerJoin('resource_providers as rp', 'rp.id', 'a.resource_provider_id')
    .innerJoin('resource_classes as rc', 'rc.id', 'a.resource_class_id')
    .innerJoin('consumers as c', 'c.uuid', 'a.consumer_id')
    .innerJoin('projects as p', 'p.id', 'c.project_id')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .leftJoin('consumer_types as ct', 'ct.id', 'c.consumer_type_id')
    .select([
      'a.resource_provider_id',
      'rp.uuid as rp_uuid',
      'rp.generation as rp_generation',
      'rc.name as rc_name',
      'a.resource_class_id',
      'a.used',
      'a.created_at',
      'a.updated_at',
      'c.generation as consumer_generation',
      'p.external_id as project',
      'u.external_id as user',
      'ct.name as consumer_type',
    ])
    .where('a.consumer_id', '=', consumerUuid)
    .orderBy('a.id')
    .execute();
  if (rows.length === 0) return undefined;
  const first = rows[0];
  return Object.freeze({
    consumer_uuid: consumerUuid,
    project_id: first.project,
    user_id: first.user,
    generation: toNumber(first.consumer_generation),
    consumer_type: first.consumer_type ?? null,
    allocations: rows.map((r) =>
      Object.freeze({
        provider_id: toNumber(r.resource_provider_id),
        provider_uuid: r.rp_uuid,
        provider_generation: toNumber(r.rp_generation),
        resource_class: r.rc_name,
        resource_class_id: toNumber(r.resource_class_id),
        used: toNumber(r.used),
        created_at: fromDbTime(r.created_at),
        updated_at: fromDbTime(r.updated_at),
      }),
    ),
  });
}

export interface ProviderAllocation {
  readonly consumer_uuid: string;
  readonly consumer_generation: number | null;
  readonly resource_class: string;
  readonly used: number;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
}

export async function allocationsOnProvider(
  db: Db,
  providerId: number,
): Promise<readonly ProviderAllocation[]> {
  const rows = await db.kysely
    .selectFrom('allocations as a')
    .innerJoin('resource_classes as rc', 'rc.id', 'a.resource_class_id')
    .leftJoin('consumers as c', 'c.uuid', 'a.consumer_id')
    .select(['a.consumer_id', 'c.generation', 'rc.name', 'a.used', 'a.created_at', 'a.updated_at'])
    .where('a.resource_provider_id', '=', providerId)
    .orderBy('a.id')
    .execute();
  return rows.map((r) =>
    Object.freeze({
      consumer_uuid: r.consumer_id,
      consumer_generation: toNumberOrNull(r.generation),
      resource_class: r.name,
      used: toNumber(r.used),
      created_at: fromDbTime(r.created_at),
      updated_at: fromDbTime(r.updated_at),
    }),
  );
}

/** Removes every allocation of the consumer and the consumer itself; false when it had none. */
export async function deleteConsumerAllocations(db: Db, consumerUuid: string): Promise<boolean> {
  const res = await db.kysely
    .deleteFrom('allocations')
    .where('consumer_id', '=', consumerUuid)
    .executeTakeFirst();
  if (Number(res.numDeletedRows) === 0) return false;
  await deleteConsumersWithoutAllocations(db, [consumerUuid]);
  return true;
}
