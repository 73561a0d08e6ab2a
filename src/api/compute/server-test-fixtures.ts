// Test fixtures for server sub-resources: a server created straight in a cell database with its
// instance mapping (no RPC), a build request for a server not in a cell yet, and a fake compute RPC
// backend answering calls from canned handlers.
import { newUuid } from '../../common/ids.ts';
import type { ComputeClient } from '../../compute/rpcapi.ts';
import type { ServersBackend } from '../../compute-api/servers/backend.ts';
import type { ConductorClient } from '../../conductor/client.ts';
import type { Database } from '../../db/connect.ts';
import type { CellDb } from '../../db/tables/cell-db.ts';
import * as buildRequests from '../../objects/build-request.ts';
import * as cellMappings from '../../objects/cell-mapping.ts';
import type { NewInstance } from '../../objects/instance.ts';
import * as instances from '../../objects/instance.ts';
import * as instanceMappings from '../../objects/instance-mapping.ts';
import type { RequestContext } from '../../rpc/index.ts';
import type { TestApi } from './test-support.ts';

export const TEST_FLAVOR = Object.freeze({
  name: 'm1.tiny',
  flavorid: '1',
  memory_mb: 512,
  vcpus: 1,
  root_gb: 1,
  ephemeral_gb: 0,
  swap: 0,
});

export interface ServerFixture extends Partial<Omit<NewInstance, 'flavor'>> {
  /** The cell (default cell1, the test API's cell database). */
  readonly cell?: { readonly name: string; readonly db: Database<CellDb> };
  readonly launched_at?: Date | null;
}

/** An ACTIVE, launched server of alice in project 0a1b2c3d on host cmp1, mapped to its cell. */
export async function addServer(t: TestApi, f: ServerFixture = {}): Promise<instances.Instance> {
  const { cell, launched_at, ...fields } = f;
  const db = cell?.db ?? t.cellDb;
  const now = t.clock.now();
  const inst = await instances.create(
    db,
    {
      uuid: newUuid(),
      project_id: '0a1b2c3d',
      user_id: 'alice',
      display_name: 'vm',
      image_ref: 'img',
      vm_state: 'active',
      task_state: null,
      host: 'cmp1',
      node: 'cmp1.example.org',
      flavor: TEST_FLAVOR,
      ...fields,
    },
    now,
  );
  const launched = launched_at === undefined ? now : launched_at;
  if (launched) await instances.update(db, inst.uuid, { launched_at: launched }, now);
  const mapping = await cellMappings.findByName(t.apiDb, cell?.name ?? 'cell1');
  if (!mapping) throw new Error('no such cell');
  await instanceMappings.create(
    t.apiDb,
    { instance_uuid: inst.uuid, cell_id: mapping.id, project_id: inst.project_id, user_id: inst.user_id },
    now,
  );
  return instances.get(db, inst.uuid);
}

/** A server that is only a build request (not in a cell yet). */
export async function addBuildRequest(
  t: TestApi,
  f: Partial<Omit<NewInstance, 'flavor'>> = {},
): Promise<string> {
  const uuid = f.uuid ?? newUuid();
  const now = t.clock.now();
  const instance: NewInstance = {
    uuid,
    project_id: '0a1b2c3d',
    user_id: 'alice',
    display_name: 'building',
    image_ref: 'img',
    vm_state: 'building',
    task_state: 'scheduling',
    flavor: TEST_FLAVOR,
    ...f,
  };
  await buildRequests.create(t.apiDb, instance, [], now);
  await instanceMappings.create(
    t.apiDb,
    { instance_uuid: uuid, project_id: instance.project_id, user_id: instance.user_id },
    now,
  );
  return uuid;
}

export interface RecordedCall {
  readonly host: string;
  readonly method: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly ctx: RequestContext;
}

export type CallHandler = (args: Readonly<Record<string, unknown>>, host: string) => unknown;

/** A servers backend whose compute.call answers from `handlers` (by RPC method) and records calls. */
export function fakeServersBackend(handlers: Readonly<Record<string, CallHandler>>): {
  readonly backend: ServersBackend;
  readonly calls: RecordedCall[];
} {
  const calls: RecordedCall[] = [];
  const compute = {
    async call<T>(
      ctx: RequestContext,
      host: string,
      method: string,
      args: Readonly<Record<string, unknown>>,
    ) {
      calls.push({ host, method, args, ctx });
      const h = handlers[method];
      if (!h) throw Object.assign(new Error(`no fake for ${method}`), { name: 'NoSuchMethod' });
      return (await h(args, host)) as T;
    },
    async cast(ctx: RequestContext, host: string, method: string, args: Readonly<Record<string, unknown>>) {
      calls.push({ host, method, args, ctx });
    },
  };
  return {
    calls,
    backend: {
      compute: compute as unknown as ComputeClient,
      conductor: {} as ConductorClient,
      placement: { release: async () => {} },
    },
  };
}
