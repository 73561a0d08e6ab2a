// instances (cell database): the instance record and what is joined to it when it is read
// (embedded flavors, metadata, system metadata, tags, newest fault, network info cache). Writes
// that must not race (task state changes) are conditional updates: the row changes only while its
// task_state is one of the expected ones, as upstream's expected_task_state.
import type { Selectable, Updateable } from 'kysely';
import type { DbHandle } from '../db/connect.ts';
import { insertReturningId } from '../db/insert.ts';
import type { CellDb, InstancesTable } from '../db/tables/cell-db.ts';
import { fromDbTime, toDbTime } from '../db/time.ts';
import { inTransaction } from '../db/transaction.ts';
import { toBool, toNumber, toNumberOrNull } from '../db/values.ts';
import { Conflict, NotFound } from '../faults/fault.ts';
import { type EmbeddedFlavor, flavorsOf, setFlavors } from './instance-extra.ts';
import * as faults from './instance-fault.ts';
import * as meta from './instance-metadata.ts';
import * as tags from './tag.ts';

/** The instance row's own columns, read back as JS values. */
export interface InstanceRecord {
  readonly id: number;
  readonly uuid: string;
  readonly hostname: string | null;
  readonly project_id: string;
  readonly user_id: string;
  readonly image_ref: string | null;
  readonly kernel_id: string | null;
  readonly ramdisk_id: string | null;
  readonly key_name: string | null;
  readonly key_data: string | null;
  readonly user_data: string | null;
  readonly vm_state: string | null;
  readonly task_state: string | null;
  readonly power_state: number | null;
  readonly host: string | null;
  readonly node: string | null;
  readonly launch_index: number | null;
  readonly memory_mb: number;
  readonly vcpus: number;
  readonly root_gb: number;
  readonly ephemeral_gb: number;
  readonly instance_type_id: number | null;
  readonly progress: number | null;
  readonly reservation_id: string | null;
  readonly availability_zone: string | null;
  readonly display_name: string | null;
  readonly display_description: string | null;
  readonly launched_on: string | null;
  readonly locked: boolean;
  readonly locked_by: string | null;
  readonly os_type: string | null;
  readonly architecture: string | null;
  readonly vm_mode: string | null;
  readonly root_device_name: string | null;
  readonly config_drive: string | null;
  readonly access_ip_v4: string | null;
  readonly access_ip_v6: string | null;
  readonly auto_disk_config: boolean;
  readonly hidden: boolean;
  readonly launched_at: Date | null;
  readonly terminated_at: Date | null;
  readonly scheduled_at: Date | null;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
  readonly deleted_at: Date | null;
  readonly deleted: boolean;
}

/** A network info cache entry (one VIF), upstream's network_info model as JSON. */
export type Vif = Readonly<Record<string, unknown>>;

export interface Instance extends InstanceRecord {
  readonly flavor: EmbeddedFlavor;
  readonly old_flavor: EmbeddedFlavor | null;
  readonly new_flavor: EmbeddedFlavor | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly system_metadata: Readonly<Record<string, string>>;
  readonly tags: readonly string[];
  readonly fault: faults.InstanceFault | null;
  readonly network_info: readonly Vif[];
  readonly keypairs: readonly Readonly<Record<string, unknown>>[];
  readonly trusted_certs: readonly string[] | null;
}

/** Columns a caller sets on create (the rest default as upstream). */
export interface NewInstance {
  readonly uuid: string;
  readonly project_id: string;
  readonly user_id: string;
  readonly display_name: string | null;
  readonly display_description?: string | null;
  readonly hostname?: string | null;
  readonly image_ref: string | null;
  readonly kernel_id?: string | null;
  readonly ramdisk_id?: string | null;
  readonly key_name?: string | null;
  readonly key_data?: string | null;
  readonly user_data?: string | null;
  readonly vm_state: string;
  readonly task_state: string | null;
  readonly power_state?: number;
  readonly host?: string | null;
  readonly node?: string | null;
  readonly launch_index?: number;
  readonly flavor: EmbeddedFlavor;
  readonly instance_type_id?: number | null;
  readonly reservation_id?: string | null;
  readonly availability_zone?: string | null;
  readonly locked?: boolean;
  readonly locked_by?: string | null;
  readonly os_type?: string | null;
  readonly architecture?: string | null;
  readonly vm_mode?: string | null;
  readonly root_device_name?: string | null;
  readonly config_drive?: string | null;
  readonly access_ip_v4?: string | null;
  readonly access_ip_v6?: string | null;
  readonly auto_disk_config?: boolean;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly system_metadata?: Readonly<Record<string, string>>;
  readonly tags?: readonly string[];
  readonly keypairs?: readonly Readonly<Record<string, unknown>>[];
  readonly trusted_certs?: readonly string[] | null;
  readonly created_at?: Date;
}

/** Updatable columns (dates as Date). */
export type InstanceChanges = Partial<{
  [K in keyof InstanceRecord as K extends 'id' | 'uuid' | 'deleted' | 'created_at'
    ? never
    : K]: InstanceRecord[K];
}>;

type Db = DbHandle<CellDb>;

export const instanceNotFound = (uuid: string) =>
  new NotFound(`Instance ${uuid} could not be found.`, 'nova.instance_not_found');

/** A conditional update found the instance in another task state (upstream UnexpectedTaskStateError). */
export class UnexpectedTaskState extends Conflict {
  readonly actual: string | null;
  constructor(uuid: string, expected: readonly (string | null)[], actual: string | null) {
    super(
      `Conflict updating instance ${uuid}. Expected: {'task_state': [${expected.map((e) => (e === null ? 'None' : `'${e}'`)).join(', ')}]}. Actual: {'task_state': ${actual === null ? 'None' : `'${actual}'`}}`,
      'nova.unexpected_task_state',
    );
    this.actual = actual;
  }
}

/** Upstream's hypervisor-side name: instance-%08x of the row id. */
export function instanceName(id: number): string {
  return `instance-${id.toString(16).padStart(8, '0')}`;
}

const DATE_KEYS = new Set(['launched_at', 'terminated_at', 'scheduled_at', 'updated_at', 'deleted_at']);

export function toRecord(r: Selectable<InstancesTable>): InstanceRecord {
  return {
    id: toNumber(r.id),
    uuid: r.uuid,
    hostname: r.hostname,
    project_id: r.project_id ?? '',
    user_id: r.user_id ?? '',
    image_ref: r.image_ref,
    kernel_id: r.kernel_id,
    ramdisk_id: r.ramdisk_id,
    key_name: r.key_name,
    key_data: r.key_data,
    user_data: r.user_data,
    vm_state: r.vm_state,
    task_state: r.task_state,
    power_state: toNumberOrNull(r.power_state),
    host: r.host,
    node: r.node,
    launch_index: toNumberOrNull(r.launch_index),
    memory_mb: toNumberOrNull(r.memory_mb) ?? 0,
    vcpus: toNumberOrNull(r.vcpus) ?? 0,
    root_gb: toNumberOrNull(r.root_gb) ?? 0,
    ephemeral_gb: toNumberOrNull(r.ephemeral_gb) ?? 0,
    instance_type_id: toNumberOrNull(r.instance_type_id),
    progress: toNumberOrNull(r.progress),
    reservation_id: r.reservation_id,
    availability_zone: r.availability_zone,
    display_name: r.display_name,
    display_description: r.display_description,
    launched_on: r.launched_on,
    locked: r.locked === null ? false : toBool(r.locked),
    locked_by: r.locked_by,
    os_type: r.os_type,
    architecture: r.architecture,
    vm_mode: r.vm_mode,
    root_device_name: r.root_device_name,
    config_drive: r.config_drive,
    access_ip_v4: r.access_ip_v4,
    access_ip_v6: r.access_ip_v6,
    auto_disk_config: r.auto_disk_config === null ? false : toBool(r.auto_disk_config),
    hidden: toBool(r.hidden),
    launched_at: fromDbTime(r.launched_at),
    terminated_at: fromDbTime(r.terminated_at),
    scheduled_at: fromDbTime(r.scheduled_at),
    created_at: fromDbTime(r.created_at),
    updated_at: fromDbTime(r.updated_at),
    deleted_at: fromDbTime(r.deleted_at),
    deleted: toNumber(r.deleted) !== 0,
  };
}

function toColumns(c: InstanceChanges): Updateable<InstancesTable> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) {
    if (v === undefined) continue;
    out[k] = DATE_KEYS.has(k) ? (v === null ? null : toDbTime(v as Date)) : v;
  }
  return out as Updateable<InstancesTable>;
}

export async function create(db: Db, n: NewInstance, now: Date): Promise<Instance> {
  await inTransaction(db, async (trx) => {
    const stamp = toDbTime(n.created_at ? new Date(n.created_at) : now);
    await insertReturningId(trx, 'instances', {
      uuid: n.uuid,
      project_id: n.project_id,
      user_id: n.user_id,
      display_name: n.display_name,
      display_description: n.display_description ?? null,
      hostname: n.hostname ?? null,
      image_ref: n.image_ref,
      kernel_id: n.kernel_id ?? null,
      ramdisk_id: n.ramdisk_id ?? null,
      key_name: n.key_name ?? null,
      key_data: n.key_data ?? null,
      user_data: n.user_data ?? null,
      vm_state: n.vm_state,
      task_state: n.task_state,
      power_state: n.power_state ?? 0,
      host: n.host ?? null,
      node: n.node ?? null,
      launch_index: n.launch_index ?? 0,
      memory_mb: n.flavor.memory_mb,
      vcpus: n.flavor.vcpus,
      root_gb: n.flavor.root_gb,
      ephemeral_gb: n.flavor.ephemeral_gb,
      instance_type_id: n.instance_type_id ?? null,
      progress: 0,
      reservation_id: n.reservation_id ?? null,
      availability_zone: n.availability_zone ?? null,
      locked: n.locked ?? false,
      locked_by: n.locked_by ?? null,
      os_type: n.os_type ?? null,
      architecture: n.architecture ?? null,
      vm_mode: n.vm_mode ?? null,
      root_device_name: n.root_device_name ?? null,
      config_drive: n.config_drive ?? '',
      access_ip_v4: n.access_ip_v4 ?? null,
      access_ip_v6: n.access_ip_v6 ?? null,
      auto_disk_config: n.auto_disk_config ?? false,
      hidden: false,
      created_at: stamp,
      updated_at: stamp,
    });
    await setFlavors(trx, n.uuid, { cur: n.flavor, old: null, new: null }, now);
    await trx.kysely
      .updateTable('instance_extra')
      .set({
        keypairs: JSON.stringify(n.keypairs ?? []),
        trusted_certs: n.trusted_certs ? JSON.stringify(n.trusted_certs) : null,
      })
      .where('instance_uuid', '=', n.uuid)
      .execute();
    if (n.metadata) await meta.set(trx, 'instance_metadata', n.uuid, n.metadata, false, now);
    if (n.system_metadata)
      await meta.set(trx, 'instance_system_metadata', n.uuid, n.system_metadata, false, now);
    if (n.tags && n.tags.length > 0) await tags.replaceAll(trx, n.uuid, n.tags);
    await trx.kysely
      .insertInto('instance_info_caches')
      .values({ instance_uuid: n.uuid, network_info: '[]', created_at: stamp })
      .execute();
  });
  return get(db, n.uuid);
}

const parseJson = <T>(text: string | null | undefined, fallback: T): T => {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

/** Joins the rest of each instance's data to its row (one query per table, not per instance). */
export async function expand(db: Db, records: readonly InstanceRecord[]): Promise<Instance[]> {
  const uuids = records.map((r) => r.uuid);
  if (uuids.length === 0) return [];
  const [flavors, md, smd, tagMap, faultMap, extras, caches] = await Promise.all([
    flavorsOf(db, uuids),
    meta.getFor(db, 'instance_metadata', uuids),
    meta.getFor(db, 'instance_system_metadata', uuids),
    tags.getFor(db, uuids),
    faults.latestFor(db, uuids),
    db.kysely
      .selectFrom('instance_extra')
      .select(['instance_uuid', 'keypairs', 'trusted_certs'])
      .where('instance_uuid', 'in', uuids)
      .execute(),
    db.kysely
      .selectFrom('instance_info_caches')
      .select(['instance_uuid', 'network_info'])
      .where('instance_uuid', 'in', uuids)
      .execute(),
  ]);
  const extraBy = new Map(extras.map((e) => [e.instance_uuid, e]));
  const cacheBy = new Map(caches.map((c) => [c.instance_uuid, c.network_info]));
  return records.map((r) => {
    const f = flavors.get(r.uuid);
    const fallback: EmbeddedFlavor = {
      name: '',
      flavorid: '',
      memory_mb: r.memory_mb,
      vcpus: r.vcpus,
      root_gb: r.root_gb,
      ephemeral_gb: r.ephemeral_gb,
      swap: 0,
    };
    const extra = extraBy.get(r.uuid);
    return Object.freeze({
      ...r,
      flavor: f?.cur ?? fallback,
      old_flavor: f?.old ?? null,
      new_flavor: f?.new ?? null,
      metadata: md.get(r.uuid) ?? {},
      system_metadata: smd.get(r.uuid) ?? {},
      tags: tagMap.get(r.uuid) ?? [],
      fault: faultMap.get(r.uuid) ?? null,
      network_info: parseJson<Vif[]>(cacheBy.get(r.uuid), []),
      keypairs: parseJson<Record<string, unknown>[]>(extra?.keypairs, []),
      trusted_certs: parseJson<string[] | null>(extra?.trusted_certs, null),
    });
  });
}

export async function findRecord(
  db: Db,
  uuid: string,
  opts: { readonly readDeleted?: boolean } = {},
): Promise<InstanceRecord | undefined> {
  let q = db.kysely.selectFrom('instances').selectAll().where('uuid', '=', uuid);
  if (!opts.readDeleted) q = q.where('deleted', '=', 0);
  const row = await q.orderBy('id', 'desc').executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function find(
  db: Db,
  uuid: string,
  opts: { readonly readDeleted?: boolean } = {},
): Promise<Instance | undefined> {
  const rec = await findRecord(db, uuid, opts);
  return rec ? (await expand(db, [rec]))[0] : undefined;
}

export async function get(
  db: Db,
  uuid: string,
  opts: { readonly readDeleted?: boolean } = {},
): Promise<Instance> {
  const inst = await find(db, uuid, opts);
  if (!inst) throw instanceNotFound(uuid);
  return inst;
}

export interface UpdateOptions {
  /** The update applies only while task_state is one of these (null = no task). */
  readonly expectedTaskState?: readonly (string | null)[];
  /** …and vm_state is one of these. */
  readonly expectedVmState?: readonly string[];
}

/**
 * Updates a live instance's columns. With expected states, the row changes only if they hold
 * (else UnexpectedTaskState / a Conflict naming the vm_state). Returns the updated record.
 */
export async function update(
  db: Db,
  uuid: string,
  changes: InstanceChanges,
  now: Date,
  opts: UpdateOptions = {},
): Promise<InstanceRecord> {
  let q = db.kysely
    .updateTable('instances')
    .set({ ...toColumns(changes), updated_at: toDbTime(changes.updated_at ?? now) })
    .where('uuid', '=', uuid)
    .where('deleted', '=', 0);
  const expT = opts.expectedTaskState;
  if (expT) {
    const named = expT.filter((s): s is string => s !== null);
    const withNull = expT.includes(null);
    q = q.where((eb) => {
      const parts = [];
      if (named.length > 0) parts.push(eb('task_state', 'in', named));
      if (withNull) parts.push(eb('task_state', 'is', null));
      return parts.length > 0 ? eb.or(parts) : eb.val(false);
    });
  }
  if (opts.expectedVmState) q = q.where('vm_state', 'in', [...opts.expectedVmState]);
  const res = await q.executeTakeFirst();
  const rec = await findRecord(db, uuid);
  if (!rec) throw instanceNotFound(uuid);
  if (res.numUpdatedRows === 0n) {
    if (expT && !expT.includes(rec.task_state)) throw new UnexpectedTaskState(uuid, expT, rec.task_state);
    if (opts.expectedVmState && !opts.expectedVmState.includes(rec.vm_state ?? ''))
      throw new Conflict(
        `Cannot update instance ${uuid} while it is in vm_state ${rec.vm_state}`,
        'nova.instance_invalid_state',
      );
  }
  return rec;
}

export async function setNetworkInfo(db: Db, uuid: string, vifs: readonly Vif[], now: Date): Promise<void> {
  await db.kysely
    .updateTable('instance_info_caches')
    .set({ network_info: JSON.stringify(vifs), updated_at: toDbTime(now) })
    .where('instance_uuid', '=', uuid)
    .execute();
}

export async function setExtra(
  db: Db,
  uuid: string,
  column: 'migration_context' | 'keypairs' | 'trusted_certs' | 'device_metadata',
  value: unknown,
  now: Date,
): Promise<void> {
  await db.kysely
    .updateTable('instance_extra')
    .set({ [column]: value === null ? null : JSON.stringify(value), updated_at: toDbTime(now) })
    .where('instance_uuid', '=', uuid)
    .execute();
}

/**
 * Soft-deletes the instance and its children (vm_state deleted, `deleted` = id), as upstream's
 * instance.destroy(). Tags are removed; actions and faults stay readable for deleted servers.
 */
export async function destroy(db: Db, uuid: string, now: Date): Promise<void> {
  await inTransaction(db, async (trx) => {
    const rec = await findRecord(trx, uuid);
    if (!rec) return;
    const stamp = toDbTime(now);
    await trx.kysely
      .updateTable('instances')
      .set({
        vm_state: 'deleted',
        task_state: null,
        terminated_at: rec.terminated_at ? toDbTime(rec.terminated_at) : stamp,
        deleted: rec.id,
        deleted_at: stamp,
        updated_at: stamp,
      })
      .where('id', '=', rec.id)
      .execute();
    for (const table of [
      'instance_metadata',
      'instance_system_metadata',
      'instance_info_caches',
      'instance_extra',
      'block_device_mapping',
    ] as const)
      await trx.kysely
        .updateTable(table)
        .set((eb) => ({ deleted: eb.ref('id'), deleted_at: stamp }))
        .where('instance_uuid', '=', uuid)
        .where('deleted', '=', 0)
        .execute();
    await tags.removeAll(trx, uuid);
  });
}
