import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newUuid } from '../common/ids.ts';
import type { Database } from '../db/connect.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { testDialects } from '../db/test-dialects.ts';
import * as instances from './instance.ts';
import * as actions from './instance-action.ts';
import * as faults from './instance-fault.ts';
import * as tags from './tag.ts';

const T0 = new Date('2026-03-04T05:06:07.891Z');
const T1 = new Date('2026-03-04T05:07:00.000Z');
const FLAVOR = {
  name: 'm1.tiny',
  flavorid: '1',
  memory_mb: 512,
  vcpus: 1,
  root_gb: 1,
  ephemeral_gb: 0,
  swap: 0,
};

function newInstance(over: Partial<instances.NewInstance> = {}): instances.NewInstance {
  return {
    uuid: newUuid(),
    project_id: 'p1',
    user_id: 'u1',
    display_name: 'vm',
    image_ref: 'img',
    vm_state: 'building',
    task_state: 'scheduling',
    flavor: FLAVOR,
    metadata: { a: '1' },
    system_metadata: { image_min_ram: '0' },
    tags: ['x', 'y'],
    ...over,
  };
}

for (const d of testDialects()) {
  describe(`${d.name}: instances`, () => {
    let db: Database<CellDb>;
    before(async () => {
      db = await d.open<CellDb>(['cell']);
    });
    after(() => d.cleanup());

    it('creates an instance with its flavor, metadata, tags and an empty network cache', async () => {
      const n = newInstance();
      const inst = await instances.create(db, n, T0);
      assert.equal(inst.uuid, n.uuid);
      assert.equal(inst.memory_mb, 512);
      assert.deepEqual(inst.flavor, FLAVOR);
      assert.deepEqual(inst.metadata, { a: '1' });
      assert.deepEqual(inst.system_metadata, { image_min_ram: '0' });
      assert.deepEqual(inst.tags, ['x', 'y']);
      assert.deepEqual(inst.network_info, []);
      assert.equal(inst.fault, null);
      assert.equal(inst.created_at?.getTime(), T0.getTime());
      assert.equal(instances.instanceName(inst.id), `instance-${inst.id.toString(16).padStart(8, '0')}`);
    });

    it('updates only while the task state is the expected one', async () => {
      const inst = await instances.create(db, newInstance(), T0);
      const rec = await instances.update(
        db,
        inst.uuid,
        { vm_state: 'active', task_state: null, launched_at: T1 },
        T1,
        { expectedTaskState: ['scheduling', 'spawning'] },
      );
      assert.equal(rec.vm_state, 'active');
      assert.equal(rec.launched_at?.getTime(), T1.getTime());
      await assert.rejects(
        instances.update(db, inst.uuid, { task_state: 'deleting' }, T1, { expectedTaskState: ['spawning'] }),
        (err: unknown) => err instanceof instances.UnexpectedTaskState && err.actual === null,
      );
      const r2 = await instances.update(db, inst.uuid, { task_state: 'powering-off' }, T1, {
        expectedTaskState: [null],
      });
      assert.equal(r2.task_state, 'powering-off');
    });

    it('shows the newest fault, and soft-deletes with its children', async () => {
      const inst = await instances.create(db, newInstance(), T0);
      await faults.add(db, inst.uuid, { code: 500, message: 'first' }, T0);
      await faults.add(db, inst.uuid, { code: 500, message: 'No valid host was found. ', details: 'x' }, T1);
      assert.equal((await instances.get(db, inst.uuid)).fault?.message, 'No valid host was found. ');
      await instances.destroy(db, inst.uuid, T1);
      assert.equal(await instances.find(db, inst.uuid), undefined);
      const gone = await instances.get(db, inst.uuid, { readDeleted: true });
      assert.equal(gone.deleted, true);
      assert.equal(gone.vm_state, 'deleted');
      assert.deepEqual(await tags.list(db, inst.uuid), []);
      await assert.rejects(instances.update(db, inst.uuid, { task_state: null }, T1), /could not be found/);
    });

    it('records actions and their events', async () => {
      const inst = await instances.create(db, newInstance(), T0);
      const ctx = { request_id: 'req-1', user_id: 'u1', project_id: 'p1' };
      await actions.start(db, inst.uuid, 'create', ctx, T0);
      await actions.eventStart(db, inst.uuid, ctx, 'compute__do_build_and_run_instance', 'h1', T0);
      await actions.eventFinish(
        db,
        inst.uuid,
        ctx,
        'compute__do_build_and_run_instance',
        { message: 'boom' },
        T1,
      );
      const got = await actions.getByRequestId(db, inst.uuid, 'req-1');
      assert.equal(got?.action.action, 'create');
      assert.equal(got?.action.message, 'Error');
      assert.equal(got?.events[0].result, 'Error');
      assert.equal(got?.events[0].host, 'h1');
      assert.equal((await actions.listFor(db, inst.uuid)).length, 1);
    });
  });
}
