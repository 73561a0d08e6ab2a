// Every role in one process: the same services as the separate daemons, over the in-process
// transport (or the configured transport_url) and the databases of the state directory.

import { join } from 'node:path';
import { type CellPool, createCellPool } from '../cells/cell-pool.ts';
import { discoverHosts } from '../cells/discover-hosts.ts';
import { type Clock, systemClock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import { computePlacement } from '../compute/placement.ts';
import { ComputeClient } from '../compute/rpcapi.ts';
import { type ComputeHost, createComputeService } from '../compute/service.ts';
import { rpcEventSink, rpcHostUptime, serversBackend } from '../compute-api/servers/rpc-backend.ts';
import { CONDUCTOR_TOPIC } from '../conductor/api.ts';
import { createConductorService } from '../conductor/service.ts';
import type { NovaConf } from '../config/index.ts';
import { DataplaneAgent, type DataplanePlugin } from '../dataplane/agent.ts';
import { routerPlugin, securityGroupPlugin, sgTableFor } from '../dataplane/plugins.ts';
import type { Database } from '../db/index.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import { StartupError } from '../faults/fault.ts';
import { embeddedServiceTokenSource } from '../identity/service-token.ts';
import { ImageClient } from '../image-client/client.ts';
import { AgentRegistry } from '../network/agents.ts';
import { NetworkClient } from '../network-client/client.ts';
import * as hostMappings from '../objects/host-mapping.ts';
import { PlacementClient } from '../placement-client/client.ts';
import { adminContext, createTransport, type Transport } from '../rpc/index.ts';
import { SchedulerClient } from '../scheduler/client.ts';
import { schedulerPlacement } from '../scheduler/placement.ts';
import { createSchedulerService } from '../scheduler/service.ts';
import type { Stoppable } from '../service/launcher.ts';
import type { NovaService } from '../service/service.ts';
import type { TokenSource } from '../service-auth/token-source.ts';
import { FakeHypervisorNetwork } from '../virt/fake/network.ts';
import {
  createVirtDriver,
  fakeHostNames,
  qemuAvailable,
  VIRT_DRIVERS,
  type VirtDriverOptions,
} from '../virt/registry.ts';
import { setupCells } from './cells-setup.ts';
import { type FirstStartResult, firstStart } from './first-start.ts';
import { startHttpRoles } from './http-roles.ts';

export interface AllInOneOptions {
  readonly conf: NovaConf;
  readonly log: Logger;
  readonly statePath: string;
  readonly version: string;
  readonly configFiles: readonly string[];
  readonly clock?: Clock;
  /** Run this many fake compute hosts (fake driver) instead of one compute of compute_driver. */
  readonly fakeHosts?: number;
  /** Extra fake driver settings of those hosts (delays, sizes; tests). */
  readonly fakeDriver?: VirtDriverOptions['fake'];
  /**
   * Run this many computes of compute_driver (`<host>-1` … `<host>-N`, each with its own
   * instances directory under instances_path), e.g. two QEMU hosts to live-migrate between.
   */
  readonly computeHosts?: number;
  /** Security group and router reconcilers of the data plane. */
  readonly dataplanePlugins?: readonly DataplanePlugin[];
}

export interface RoleStatus {
  readonly role: string;
  readonly endpoint: string;
}

export interface AllInOne {
  readonly roles: readonly RoleStatus[];
  readonly firstStart: FirstStartResult;
  readonly transport: Transport;
  readonly apiDb: Database;
  readonly cellDb: Database;
  /** The data plane agent when real guests run (tests tear it down). */
  readonly dataplane?: DataplaneAgent;
  stop(): Promise<void>;
}

/** Asks every RPC role for a ping and every API for its version document. */
async function waitUntilAnswering(
  transport: Transport,
  host: string,
  urls: readonly string[],
  timeoutMs: number,
  computeHost: string,
) {
  const deadline = Date.now() + timeoutMs;
  const ctx = adminContext();
  for (const topic of [CONDUCTOR_TOPIC, 'scheduler', 'compute']) {
    const target = {
      topic,
      server: topic === 'compute' ? computeHost : host,
      namespace: 'baseapi',
      version: '1.0',
    };
    await transport.call(
      ctx,
      target,
      'ping',
      { arg: 'ready?' },
      { timeoutMs: Math.max(1000, deadline - Date.now()) },
    );
  }
  for (const url of urls) {
    const res = await fetch(url);
    if (res.status >= 400) throw new StartupError(`${url} answered ${res.status} to its version document.`);
  }
}

/** Maps this process's compute hosts to their cell once they have reported. */
async function discoverOwnHost(
  api: Database,
  cells: CellPool,
  hosts: readonly string[],
  log: Logger,
): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await discoverHosts(api, (url) => cells.open(url));
    let all = true;
    for (const h of hosts) if (!(await hostMappings.findByHost(api, h))) all = false;
    if (all) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  log.warn(
    { hosts },
    'the compute hosts did not report within 10 s; run "nova-manage cell_v2 discover_hosts" later',
  );
}

/** compute_driver, or (unset) qemu when QEMU is installed, else fake. */
const defaultDriverName = (conf: NovaConf): string =>
  conf.DEFAULT.compute_driver ?? (qemuAvailable() ? 'qemu' : 'fake');

/** Whether the compute role runs real QEMU guests (which then get the Linux-bridge data plane). */
export function runsQemuGuests(conf: NovaConf, fakeHosts: number): boolean {
  return (
    fakeHosts === 0 &&
    /^(nova\.virt\.)?(qemu|libvirt\.LibvirtDriver)$/.test(defaultDriverName(conf)) &&
    qemuAvailable()
  );
}

/**
 * The all-in-one's compute hosts: one, or `fakeHosts` fake ones sharing a hypervisor network. With
 * compute_driver unset it runs real guests with QEMU when QEMU is installed, else the fake driver,
 * and says which.
 */
function computeHosts(
  conf: NovaConf,
  log: Logger,
  fakeHosts: number,
  clock: Clock,
  images: () => Promise<ImageClient>,
  fake?: VirtDriverOptions['fake'],
  hostCount = 1,
): ComputeHost[] {
  const d = conf.DEFAULT;
  let name = defaultDriverName(conf);
  if (d.compute_driver === null || d.compute_driver === undefined) {
    if (name === 'qemu')
      log.info('compute driver: qemu (real guests; [DEFAULT] compute_driver = fake to simulate)');
    else
      log.warn(
        'QEMU is not installed (Debian qemu-system-x86 and qemu-utils): the compute role runs the fake driver (servers are simulated, not real guests)',
      );
  }
  if (!Object.hasOwn(VIRT_DRIVERS, name.replace(/^nova\.virt\./, ''))) {
    log.warn(
      `compute_driver ${name} is not available in this build; the compute role runs the fake driver (servers are simulated, not real guests)`,
    );
    name = 'fake';
  }
  if (/^(nova\.virt\.)?(qemu|libvirt\.LibvirtDriver)$/.test(name) && !qemuAvailable()) {
    log.warn(
      `compute_driver ${name} needs QEMU, which is not installed (Debian qemu-system-x86 and qemu-utils); the compute role runs the fake driver`,
    );
    name = 'fake';
  }
  if (fakeHosts > 0) {
    const network = new FakeHypervisorNetwork();
    return fakeHostNames(d.host, fakeHosts).map((host) => ({
      host,
      driver: createVirtDriver('fake', {
        host,
        conf,
        clock,
        fakeNetwork: network,
        ...(fake ? { fake } : {}),
      }),
    }));
  }
  if (hostCount > 1)
    return fakeHostNames(d.host, hostCount).map((host) => ({
      host,
      driver: createVirtDriver(name, {
        host,
        conf,
        clock,
        images,
        log,
        instancesPath: join(d.instances_path, host),
      }),
    }));
  return [{ host: d.host, driver: createVirtDriver(name, { host: d.host, conf, clock, images, log }) }];
}

/** A token source whose real one arrives once the embedded identity service runs. */
function lateTokenSource(): { source: TokenSource; set(t: TokenSource): void } {
  let inner: TokenSource | undefined;
  const need = () => {
    if (!inner) throw new Error('service tokens are not available before the identity service starts');
    return inner;
  };
  return {
    source: {
      token: () => need().token(),
      endpoint: (type, ifaces, region) => need().endpoint(type, ifaces, region),
      invalidate: () => inner?.invalidate(),
    },
    set: (t) => {
      inner = t;
    },
  };
}

interface RpcParts {
  readonly conf: NovaConf;
  readonly transport: Transport;
  readonly dbs: { readonly api: Database; readonly cell1: Database };
  readonly cells: CellPool;
  readonly clock: Clock;
  readonly log: Logger;
  readonly placement: PlacementClient;
  readonly fakeHosts: number;
  readonly fakeDriver?: VirtDriverOptions['fake'];
  readonly computeHosts?: number;
  /** The image service as computes reach it (snapshots, shelve). */
  readonly images: () => Promise<ImageClient>;
  /** The network service as computes reach it (ports at build). */
  readonly network: () => Promise<NetworkClient>;
}

function rpcServices(p: RpcParts): NovaService[] {
  const { conf, transport, cells, clock, log } = p;
  const apiDb = p.dbs.api as Database<ApiDb>;
  const sp = schedulerPlacement(p.placement);
  const buildDeps = {
    apiDb,
    cells,
    clock,
    scheduler: new SchedulerClient(transport),
    compute: new ComputeClient(transport),
    placement: sp,
    log,
  };
  const conductor = createConductorService(
    conf,
    transport,
    {
      cellDb: p.dbs.cell1,
      clock,
      build: buildDeps,
      moves: { ...buildDeps, allocations: { move: (from, to) => p.placement.moveAllocations(from, to) } },
    },
    log,
  );
  const openCell = (url: string) => cells.open(url);
  const scheduler = createSchedulerService({
    conf,
    transport,
    cellDb: p.dbs.cell1,
    apiDb: p.dbs.api,
    openCell,
    clock,
    log,
    cells,
    placement: sp,
  });
  const cp = computePlacement(p.placement, log);
  const computes = computeHosts(conf, log, p.fakeHosts, clock, p.images, p.fakeDriver, p.computeHosts).map(
    (h) =>
      createComputeService(
        { conf, transport, log, clock, placement: cp, images: p.images, network: p.network },
        h,
      ),
  );
  return [conductor, scheduler, ...computes];
}

export async function startAllInOne(opts: AllInOneOptions): Promise<AllInOne> {
  const { conf, log } = opts;
  const clock = opts.clock ?? systemClock;
  const d = conf.DEFAULT;
  const apiUrl = conf.api_database.connection;
  const cellUrl = conf.database.connection;
  if (!apiUrl || !cellUrl)
    throw new StartupError('[api_database] connection and [database] connection must both be set.');
  const transportUrl = d.transport_url ?? 'memory://';
  const dbs = await setupCells(apiUrl, cellUrl, transportUrl, log);
  const cells = createCellPool(log);
  cells.adopt(cellUrl, dbs.cell1);
  cells.adopt(dbs.cell0Url, dbs.cell0);
  const parts: Stoppable[] = [];
  let transport: Transport | undefined;
  const stop = async () => {
    for (const p of parts.reverse())
      await p.stop().catch((err: unknown) => log.error({ err }, 'stop failed'));
    parts.length = 0;
    await transport?.close();
    await cells.closeAll();
    await dbs.api.close();
  };
  try {
    transport = await createTransport(transportUrl, {
      exchange: d.control_exchange,
      log,
      responseTimeoutMs: d.rpc_response_timeout * 1000,
    });
    const tokens = lateTokenSource();
    const placement = new PlacementClient({ tokens: tokens.source, log });
    const backend = serversBackend(transport, placement);
    // The data plane agent (below) reports to the network service through this.
    const agents = new AgentRegistry(clock, conf.network_service.agent_down_time);
    const http = await startHttpRoles({
      conf,
      log,
      clock,
      agents,
      apiDb: dbs.api,
      cells,
      configFiles: opts.configFiles,
      servers: backend,
      hostUptime: rpcHostUptime(backend.compute),
      eventSink: rpcEventSink(backend.compute),
    });
    parts.push(...http.parts);
    const u = http.urls;
    tokens.set(
      embeddedServiceTokenSource(http.identity.identity, conf, { placement: u.placement, image: u.image }),
    );
    const first = await firstStart({
      conf,
      log,
      statePath: opts.statePath,
      roles: http,
      apiDb: dbs.api,
      version: opts.version,
    });
    const computeHostNames =
      (opts.fakeHosts ?? 0) > 0
        ? fakeHostNames(d.host, opts.fakeHosts ?? 0)
        : (opts.computeHosts ?? 1) > 1
          ? fakeHostNames(d.host, opts.computeHosts ?? 1)
          : [d.host];
    const services = rpcServices({
      conf,
      transport,
      dbs,
      cells,
      clock,
      log,
      placement,
      fakeHosts: opts.fakeHosts ?? 0,
      ...(opts.fakeDriver ? { fakeDriver: opts.fakeDriver } : {}),
      ...(opts.computeHosts ? { computeHosts: opts.computeHosts } : {}),
      images: async () => new ImageClient({ endpoints: [u.image], token: () => tokens.source.token() }),
      network: async () => new NetworkClient({ endpoint: u.network, token: () => tokens.source.token() }),
    });
    for (const svc of services) {
      await svc.start();
      parts.push(svc);
    }
    // Real guests get real networking: the Linux-bridge data plane (root only: it makes bridges
    // and namespaces).
    let dataplane: DataplaneAgent | undefined;
    if (runsQemuGuests(conf, opts.fakeHosts ?? 0) && process.getuid?.() === 0) {
      const secret = conf.neutron.metadata_proxy_shared_secret;
      dataplane = new DataplaneAgent({
        hosts: computeHostNames,
        network: async () => new NetworkClient({ endpoint: u.network, token: () => tokens.source.token() }),
        stateDir: join(d.state_path, 'dataplane'),
        server: agents,
        ...(u.metadata && secret && conf.neutron.service_metadata_proxy
          ? { metadata: { url: u.metadata, secret } }
          : {}),
        log,
        plugins: opts.dataplanePlugins ?? [
          securityGroupPlugin(sgTableFor(join(d.state_path, 'dataplane'))),
          routerPlugin(),
        ],
      });
      dataplane.start();
      const agent = dataplane;
      parts.push({ stop: () => agent.stop() });
    }
    await waitUntilAnswering(
      transport,
      d.host,
      [`${u.identity}/v3`, `${u.placement}/`, `${u.image}/`, `${u.network}/`, `${u.compute}/v2.1/`],
      30_000,
      computeHostNames[0],
    );
    await discoverOwnHost(dbs.api, cells, computeHostNames, log);
    const roles: RoleStatus[] = [
      { role: 'identity (keystone v3)', endpoint: `${u.identity}/v3` },
      { role: 'nova-api (osapi_compute)', endpoint: `${u.compute}/v2.1` },
      ...(u.metadata ? [{ role: 'nova-api (metadata)', endpoint: u.metadata }] : []),
      { role: 'placement', endpoint: u.placement },
      { role: 'image (glance v2)', endpoint: `${u.image}/v2` },
      { role: 'network (neutron v2.0)', endpoint: `${u.network}/v2.0` },
      ...http.consoles,
      { role: 'nova-conductor', endpoint: `${transportUrl} topic ${CONDUCTOR_TOPIC}` },
      { role: 'nova-scheduler', endpoint: `${transportUrl} topic scheduler` },
      {
        role: 'nova-compute',
        endpoint:
          computeHostNames.length > 1
            ? `${transportUrl} topics compute.${computeHostNames[0]} … compute.${computeHostNames[computeHostNames.length - 1]} (${computeHostNames.length} fake hosts)`
            : `${transportUrl} topic compute.${computeHostNames[0]}`,
      },
    ];
    return {
      roles,
      firstStart: first,
      transport,
      apiDb: dbs.api,
      cellDb: dbs.cell1,
      stop,
      ...(dataplane ? { dataplane } : {}),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
