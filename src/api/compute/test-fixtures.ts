// Test fixtures for host resources: compute hosts (service + heartbeat + host mapping + node) and
// instances in a given cell database.
import { newUuid } from '../../common/ids.ts';
import type { Database } from '../../db/connect.ts';
import type { CellDb } from '../../db/tables/cell-db.ts';
import { toDbTime } from '../../db/time.ts';
import * as cellMappings from '../../objects/cell-mapping.ts';
import * as computeNodes from '../../objects/compute-node.ts';
import * as hostMappings from '../../objects/host-mapping.ts';
import type { ServiceRecord } from '../../objects/service.ts';
import * as services from '../../objects/service.ts';
import type { TestApi } from './test-support.ts';

export interface HostFixture {
  readonly service: ServiceRecord;
  readonly node: computeNodes.ComputeNode;
}

export async function addComputeHost(
  t: TestApi,
  db: Database<CellDb>,
  cellName: string,
  host: string,
  opts: { node?: string; vcpus?: number; heartbeat?: boolean; mapped?: boolean; cpuInfo?: string } = {},
): Promise<HostFixture> {
  const now = t.clock.now();
  let service = await services.createOrGet(
    db,
    { host, binary: 'nova-compute', topic: 'compute', version: 1 },
    now,
  );
  if (opts.heartbeat !== false) {
    await services.heartbeat(db, service.id, now);
    service = await services.getById(db, service.id);
  }
  if (opts.mapped !== false) {
    const cell = await cellMappings.findByName(t.apiDb, cellName);
    if (!cell) throw new Error(`no cell ${cellName}`);
    await hostMappings.create(t.apiDb, { host, cell_id: cell.id }, now);
  }
  const node = await computeNodes.upsert(
    db,
    {
      host,
      hypervisor_hostname: opts.node ?? `${host}.example.org`,
      hypervisor_type: 'QEMU',
      hypervisor_version: 8002000,
      vcpus: opts.vcpus ?? 8,
      memory_mb: 16384,
      local_gb: 100,
      vcpus_used: 2,
      memory_mb_used: 1024,
      local_gb_used: 10,
      free_ram_mb: 15360,
      free_disk_gb: 90,
      current_workload: 0,
      running_vms: 1,
      disk_available_least: 80,
      cpu_info: opts.cpuInfo ?? '{"arch": "x86_64", "model": "Nehalem"}',
      host_ip: '192.0.2.20',
      service_id: service.id,
    },
    now,
  );
  return { service, node };
}

export interface InstanceFixture {
  readonly uuid?: string;
  readonly host?: string | null;
  readonly project_id?: string;
  readonly name?: string;
  readonly launched_at?: Date | null;
  readonly terminated_at?: Date | null;
  readonly vm_state?: string;
  readonly instance_type_id?: number | null;
  readonly deleted?: boolean;
}

export async function addInstance(db: Database<CellDb>, f: InstanceFixture = {}): Promise<string> {
  const uuid = f.uuid ?? newUuid();
  await db.kysely
    .insertInto('instances')
    .values({
      uuid,
      project_id: f.project_id ?? '0a1b2c3d',
      user_id: 'alice',
      display_name: f.name ?? `vm-${uuid.slice(0, 4)}`,
      host: f.host === undefined ? 'cmp1' : f.host,
      node: f.host ?? null,
      vm_state: f.vm_state ?? 'active',
      vcpus: 1,
      memory_mb: 512,
      root_gb: 1,
      ephemeral_gb: 0,
      instance_type_id: f.instance_type_id ?? null,
      launched_at: f.launched_at ? toDbTime(f.launched_at) : null,
      terminated_at: f.terminated_at ? toDbTime(f.terminated_at) : null,
    })
    .execute();
  if (f.deleted)
    await db.kysely
      .updateTable('instances')
      .set((eb) => ({ deleted: eb.ref('id') }))
      .where('uuid', '=', uuid)
      .execute();
  return uuid;
}
