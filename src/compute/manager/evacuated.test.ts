import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../common/log.ts';
import type { ConductorClient } from '../../conductor/client.ts';
import type { NovaConf } from '../../config/index.ts';
import { FakeDriver } from '../../virt/fake/driver.ts';
import type { ComputeManagerDeps } from './deps.ts';
import { destroyEvacuatedInstances } from './evacuated.ts';

const inst = (uuid: string, host: string) =>
  ({
    uuid,
    id: 1,
    host,
    node: host,
    flavor: {
      name: 'm1.tiny',
      flavorid: '1',
      memory_mb: 512,
      vcpus: 1,
      root_gb: 1,
      ephemeral_gb: 0,
      swap: 0,
    },
    system_metadata: {},
    metadata: {},
    network_info: [],
    image_ref: null,
  }) as never;

describe('destroyEvacuatedInstances', () => {
  it('destroys guests of instances evacuated away and completes their migrations', async () => {
    const driver = new FakeDriver({ host: 'a' });
    await driver.init('a');
    driver.addGuest({ uuid: 'gone' });
    driver.addGuest({ uuid: 'kept' });
    const updates: [number, unknown][] = [];
    const conductor = {
      migrationsByHost: async () => [
        {
          id: 1,
          instance_uuid: 'gone',
          migration_type: 'evacuation',
          source_compute: 'a',
          source_node: 'a',
          status: 'done',
        },
        {
          id: 2,
          instance_uuid: 'kept',
          migration_type: 'evacuation',
          source_compute: 'a',
          source_node: 'a',
          status: 'accepted',
        },
        {
          id: 3,
          instance_uuid: 'kept',
          migration_type: 'resize',
          source_compute: 'a',
          source_node: 'a',
          status: 'done',
        },
      ],
      instanceGet: async (_c: unknown, uuid: string) => inst(uuid, uuid === 'gone' ? 'b' : 'a'),
      migrationUpdate: async (_c: unknown, id: number, ch: unknown) => {
        updates.push([id, ch]);
        return {};
      },
    } as unknown as ConductorClient;
    const deps = {
      host: 'a',
      driver,
      conductor,
      log: silentLogger(),
      conf: {} as NovaConf,
    } as unknown as ComputeManagerDeps;
    assert.equal(await destroyEvacuatedInstances(deps), 1);
    assert.deepEqual(
      driver.guests().map((g) => g.uuid),
      ['kept'],
    );
    assert.deepEqual(updates, [[1, { status: 'completed' }]]);
  });
});
