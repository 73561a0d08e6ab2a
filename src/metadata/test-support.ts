// Test fixtures of the metadata service: an API database with one cell (in-memory SQLite), an
// instance created and mapped through the objects layer with a network info cache, and the app.
import type { FastifyInstance } from 'fastify';
import { createCellPool } from '../cells/cell-pool.ts';
import { ManualClock } from '../common/clock.ts';
import { newUuid } from '../common/ids.ts';
import { silentLogger } from '../common/log.ts';
import { type ConfigOverride, loadConfig, type NovaConf } from '../config/index.ts';
import { connectDatabase, type Database, migrateToLatest } from '../db/index.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import * as cellMappings from '../objects/cell-mapping.ts';
import * as instances from '../objects/instance.ts';
import * as instanceMappings from '../objects/instance-mapping.ts';
import { createMetadataApp } from './app.ts';
import { cellInstanceSource } from './lookup.ts';

export const SECRET = 's3cr3t';

/** A VIF as the compute's network client caches it: one IPv4 subnet, one fixed IP, maybe a floating one. */
export function vif(ip: string, opts: { floating?: string; mac?: string; id?: string } = {}) {
  const id = opts.id ?? '1f0c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b';
  const prefix = ip.split('.').slice(0, 3).join('.');
  const ipm = (address: string, type: string) => ({ address, type, version: 4, meta: {} });
  return {
    id,
    address: opts.mac ?? 'fa:16:3e:00:00:01',
    type: 'ovs',
    details: {},
    meta: {},
    network: {
      id: 'net-1',
      bridge: 'br-int',
      label: 'private',
      meta: { injected: false, tenant_id: 'p1', mtu: 1450 },
      subnets: [
        {
          cidr: `${prefix}.0/24`,
          version: 4,
          gateway: ipm(`${prefix}.1`, 'gateway'),
          dns: [ipm('192.0.2.53', 'dns')],
          routes: [{ cidr: '198.51.100.0/24', gateway: ipm(`${prefix}.254`, 'gateway'), meta: {} }],
          ips: [{ ...ipm(ip, 'fixed'), floating_ips: opts.floating ? [ipm(opts.floating, 'floating')] : [] }],
          meta: { dhcp_server: null },
        },
      ],
    },
  };
}

export interface Fixture {
  readonly conf: NovaConf;
  readonly apiDb: Database<ApiDb>;
  readonly cellDb: Database<CellDb>;
  readonly clock: ManualClock;
  readonly app: FastifyInstance;
  /** Creates and maps an instance; `vifs` go into its info cache. */
  addInstance(over?: Partial<instances.NewInstance>, vifs?: readonly object[]): Promise<instances.Instance>;
  close(): Promise<void>;
}

export const confWith = (overrides: readonly ConfigOverride[]) =>
  loadConfig({ env: {}, hostFacts: { hostname: 'node1', myIp: '192.0.2.10' }, overrides }).conf as NovaConf;

export const proxyConf: readonly ConfigOverride[] = [
  { group: 'neutron', name: 'service_metadata_proxy', value: 'true' },
  { group: 'neutron', name: 'metadata_proxy_shared_secret', value: SECRET },
];

export async function metadataFixture(overrides: readonly ConfigOverride[] = []): Promise<Fixture> {
  const conf = confWith([{ group: 'api', name: 'metadata_cache_expiration', value: '0' }, ...overrides]);
  const apiDb = await connectDatabase<ApiDb>('sqlite://');
  await migrateToLatest(apiDb, 'api');
  const cellDb = await connectDatabase<CellDb>('sqlite://');
  await migrateToLatest(cellDb, 'cell');
  const cells = createCellPool();
  const url = 'sqlite:///metadata-test-cell1';
  cells.adopt(url, cellDb);
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const cell = await cellMappings.create(
    apiDb,
    { name: 'cell1', transport_url: 'none:///', database_connection: url },
    clock.now(),
  );
  const log = silentLogger();
  const source = cellInstanceSource({ apiDb, cells, clock, log, defaultZone: 'nova' });
  const app = createMetadataApp({ conf, log, source, clock });
  await app.ready();
  return {
    conf,
    apiDb,
    cellDb,
    clock,
    app,
    async addInstance(over = {}, vifs = []) {
      const n: instances.NewInstance = {
        uuid: newUuid(),
        project_id: 'p1',
        user_id: 'u1',
        display_name: 'My VM',
        hostname: 'my-vm',
        image_ref: '7d1b9a54-0000-4000-8000-000000000001',
        vm_state: 'active',
        task_state: null,
        flavor: {
          name: 'm1.tiny',
          flavorid: '1',
          memory_mb: 512,
          vcpus: 1,
          root_gb: 1,
          ephemeral_gb: 0,
          swap: 0,
        },
        availability_zone: 'nova',
        reservation_id: 'r-abcdefgh',
        launch_index: 0,
        metadata: { role: 'web' },
        ...over,
      };
      const inst = await instances.create(cellDb, n, clock.now());
      await instanceMappings.create(
        apiDb,
        { instance_uuid: n.uuid, cell_id: cell.id, project_id: n.project_id },
        clock.now(),
      );
      if (vifs.length > 0)
        await instances.setNetworkInfo(cellDb, n.uuid, vifs as instances.Vif[], clock.now());
      return instances.get(cellDb, inst.uuid);
    },
    async close() {
      await app.close();
      await cells.closeAll();
      await apiDb.close();
    },
  };
}
