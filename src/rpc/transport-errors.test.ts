// Faults, versions, timeouts and payload rules every transport keeps.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { Conflict, Fault, Invalid, MessagingTimeout, NotFound, RemoteError } from '../faults/fault.ts';
import { createContext } from './context.ts';
import { InvalidPayload, NoSuchMethod, UnsupportedVersion } from './faults.ts';
import { type TestTransport, testTransports } from './testing/test-transports.ts';
import type { RpcEndpoint } from './types.ts';

class HostBusy extends Conflict {
  constructor(host: string) {
    super(`Host ${host} is busy`, 'nova.host_busy');
  }
}

class Unregistered extends Fault {
  constructor() {
    super('not in the registry', 418, 'nova.teapot');
  }
}

const failing: RpcEndpoint = {
  version: '6.2',
  methods: {
    not_found: async () => {
      throw new NotFound('Compute host h1 could not be found.', 'nova.compute_host_not_found');
    },
    busy: async () => {
      throw new HostBusy('h1');
    },
    unregistered: async () => {
      throw new Unregistered();
    },
    type_error: async () => {
      throw new TypeError('x is not a function');
    },
    ok: async () => 'ok',
    map_result: async () => new Map([['a', 1]]),
  },
};

for (const kind of testTransports()) {
  describe(`rpc faults over ${kind.name}://`, { skip: kind.skip }, () => {
    let t: TestTransport;
    let topic: string;
    beforeEach(async () => {
      t = await kind.open({ remoteFaults: [HostBusy] });
      topic = t.topic();
    });
    afterEach(async () => {
      await t.cleanup();
    });
    const call = (method: string, target: { version?: string; namespace?: string } = {}, args = {}) =>
      t.transport.call(createContext(), { topic, ...target }, method, args, { timeoutMs: 5000 });

    test('a remote fault is re-raised with its class, name, status, code and message', async () => {
      await t.transport.listen({ topic }, [failing]);
      await assert.rejects(call('not_found'), (err: unknown) => {
        assert.ok(err instanceof NotFound);
        assert.equal(err.name, 'NotFound');
        assert.equal(err.status, 404);
        assert.equal(err.code, 'nova.compute_host_not_found');
        assert.equal(err.message, 'Compute host h1 could not be found.');
        return true;
      });
      await assert.rejects(call('busy'), (err: unknown) => err instanceof HostBusy && err.status === 409);
      await assert.rejects(call('unregistered'), (err: unknown) => {
        assert.ok(err instanceof Fault);
        assert.deepEqual([err.name, err.status, err.code], ['Unregistered', 418, 'nova.teapot']);
        return true;
      });
      await assert.rejects(call('type_error'), (err: unknown) => {
        assert.ok(err instanceof RemoteError);
        assert.deepEqual(
          [err.remoteName, err.status, err.message],
          ['TypeError', 500, 'x is not a function'],
        );
        return true;
      });
    });

    test('versions: same major and a minor up to the endpoint’s, else UnsupportedVersion', async () => {
      await t.transport.listen({ topic }, [failing, { namespace: 'admin', version: '1.0', methods: {} }]);
      assert.equal(await call('ok', { version: '6.0' }), 'ok');
      assert.equal(await call('ok', { version: '6.2' }), 'ok');
      assert.equal(await call('ok'), 'ok');
      await assert.rejects(call('ok', { version: '6.3' }), UnsupportedVersion);
      await assert.rejects(call('ok', { version: '5.0' }), UnsupportedVersion);
      await assert.rejects(call('ok', { version: '7.0' }), UnsupportedVersion);
      await assert.rejects(call('ok', { namespace: 'other' }), UnsupportedVersion);
      await assert.rejects(call('ok', { namespace: 'admin', version: '1.0' }), NoSuchMethod);
    });

    test('an unknown method is NoSuchMethod, inherited names included', async () => {
      await t.transport.listen({ topic }, [failing]);
      await assert.rejects(call('nope', { version: '6.0' }), NoSuchMethod);
      await assert.rejects(call('toString'), NoSuchMethod);
      await assert.rejects(call('constructor'), NoSuchMethod);
    });

    test('a call nobody answers fails with MessagingTimeout', async () => {
      const started = Date.now();
      await assert.rejects(
        t.transport.call(createContext(), { topic: t.topic('nobody') }, 'ping', {}, { timeoutMs: 300 }),
        MessagingTimeout,
      );
      assert.ok(Date.now() - started < 3000);
    });

    test('payloads are plain JSON, the same way on every transport', async () => {
      await t.transport.listen({ topic }, [
        { version: '6.0', methods: { echo: async (_ctx, args) => args } },
        { namespace: 'bad', version: '1.0', methods: { map: async () => new Map() } },
      ]);
      const data = { s: 'é', n: -1.5, b: false, z: null, a: [1, [2, { x: 'y' }]], o: { deep: { er: [] } } };
      assert.deepEqual(await call('echo', {}, data), data);
      assert.deepEqual(await call('echo', {}, { keep: 1, drop: undefined }), { keep: 1 });
      const bad: [string, unknown][] = [
        ['Date', new Date()],
        ['Map', new Map()],
        ['bigint', 1n],
        ['NaN', Number.NaN],
        ['function', () => 1],
        ['class instance', new (class Thing {})()],
      ];
      for (const [what, value] of bad) {
        await assert.rejects(call('echo', {}, { v: value }), InvalidPayload, what);
      }
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      await assert.rejects(call('echo', {}, cyclic), InvalidPayload);
      await assert.rejects(call('map', { namespace: 'bad' }), InvalidPayload);
    });

    test('bad targets are refused before anything is sent', async () => {
      await assert.rejects(
        t.transport.call(createContext(), { topic, fanout: true }, 'ok'),
        (err: unknown) => err instanceof Invalid,
      );
      await assert.rejects(t.transport.cast(createContext(), { topic: 'has space' }, 'ok'), Invalid);
      await assert.rejects(t.transport.cast(createContext(), { topic, version: '6' }, 'ok'), Invalid);
    });
  });
}
