// The messaging contract every transport keeps (memory always; rabbit when a broker is configured).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { MessagingTimeout } from '../faults/fault.ts';
import { createContext, type RequestContext } from './context.ts';
import { TransportClosed } from './faults.ts';
import { deferred, settlesWithin, sleep, waitUntil } from './testing/async.ts';
import { type TestTransport, testTransports } from './testing/test-transports.ts';
import type { RpcArgs, RpcEndpoint } from './types.ts';

interface Seen {
  readonly server: string;
  readonly method: string;
  readonly args: RpcArgs;
  readonly ctx: RequestContext;
}

/** An endpoint that records every message as `server` saw it and echoes calls. */
function recorder(server: string, seen: Seen[]): RpcEndpoint {
  const record = (method: string) => async (ctx: RequestContext, args: RpcArgs) => {
    seen.push({ server, method, args, ctx });
    return { server, echo: args };
  };
  return { version: '1.0', methods: { ping: record('ping'), note: record('note') } };
}

for (const kind of testTransports()) {
  describe(`rpc contract over ${kind.name}://`, { skip: kind.skip }, () => {
    let t: TestTransport;
    beforeEach(async () => {
      t = await kind.open();
    });
    afterEach(async () => {
      await t.cleanup();
    });

    test('call returns the reply; cast delivers the arguments', async () => {
      const topic = t.topic();
      const seen: Seen[] = [];
      await t.transport.listen({ topic, server: 'a' }, [recorder('a', seen)]);
      const ctx = createContext();
      const reply = await t.transport.call(ctx, { topic, version: '1.0' }, 'ping', {
        n: 1,
        nested: { l: [1, 'x'] },
      });
      assert.deepEqual(reply, { server: 'a', echo: { n: 1, nested: { l: [1, 'x'] } } });
      await t.transport.cast(ctx, { topic }, 'note', { n: 2 });
      await waitUntil('the cast arrived', () => seen.length === 2);
      assert.deepEqual(seen[1].args, { n: 2 });
    });

    test('delivery is asynchronous: the handler never runs inside cast()', async () => {
      const topic = t.topic();
      let ran = false;
      await t.transport.listen({ topic }, [{ version: '1.0', methods: { go: async () => (ran = true) } }]);
      const sent = t.transport.cast(createContext(), { topic }, 'go');
      assert.equal(ran, false);
      await sent;
      await waitUntil('the handler ran', () => ran);
    });

    test('the caller context and request id reach the handler, frozen', async () => {
      const topic = t.topic();
      const seen: Seen[] = [];
      await t.transport.listen({ topic }, [recorder('a', seen)]);
      const ctx = createContext({
        global_request_id: 'req-11111111-2222-3333-4444-555555555555',
        user_id: 'u1',
        project_id: 'p1',
        roles: ['member', 'reader'],
        auth_token: 'tok',
        extra: { k: 'v' },
      });
      await t.transport.call(ctx, { topic }, 'ping');
      const got = seen[0].ctx;
      assert.deepEqual({ ...got, roles: [...got.roles] }, { ...ctx, roles: [...ctx.roles] });
      assert.match(got.request_id, /^req-[0-9a-f-]{36}$/);
      assert.ok(Object.isFrozen(got));
    });

    test('a server-specific target reaches only that server', async () => {
      const topic = t.topic();
      const seen: Seen[] = [];
      await t.transport.listen({ topic, server: 'a' }, [recorder('a', seen)]);
      await t.transport.listen({ topic, server: 'b' }, [recorder('b', seen)]);
      for (let i = 0; i < 4; i++) await t.transport.call(createContext(), { topic, server: 'b' }, 'ping');
      assert.deepEqual(
        seen.map((s) => s.server),
        ['b', 'b', 'b', 'b'],
      );
    });

    test('messages to the shared topic go round-robin across its servers', async () => {
      const topic = t.topic();
      const seen: Seen[] = [];
      await t.transport.listen({ topic, server: 'a' }, [recorder('a', seen)]);
      await t.transport.listen({ topic, server: 'b' }, [recorder('b', seen)]);
      for (let i = 0; i < 6; i++) await t.transport.call(createContext(), { topic }, 'ping', { i });
      const count = (s: string) => seen.filter((x) => x.server === s).length;
      assert.equal(count('a') + count('b'), 6);
      assert.ok(count('a') >= 2 && count('b') >= 2, `uneven spread a=${count('a')} b=${count('b')}`);
    });

    test('a fanout cast reaches every server of the topic; a plain cast only one', async () => {
      const topic = t.topic();
      const seen: Seen[] = [];
      await t.transport.listen({ topic, server: 'a' }, [recorder('a', seen)]);
      await t.transport.listen({ topic, server: 'b' }, [recorder('b', seen)]);
      await t.transport.cast(createContext(), { topic, fanout: true }, 'note', { all: true });
      await waitUntil('both servers got the fanout', () => seen.length === 2);
      assert.deepEqual(seen.map((s) => s.server).sort(), ['a', 'b']);
      await t.transport.cast(createContext(), { topic }, 'note', { all: false });
      await waitUntil('one server got the cast', () => seen.length === 3);
      await sleep(100);
      assert.equal(seen.length, 3);
    });

    test('a cast sent before its server starts is delivered once it starts', async () => {
      const topic = t.topic();
      const seen: Seen[] = [];
      await t.transport.cast(createContext(), { topic, server: 'late' }, 'note', { early: 1 });
      await t.transport.cast(createContext(), { topic }, 'note', { early: 2 });
      await sleep(50);
      await t.transport.listen({ topic, server: 'late' }, [recorder('late', seen)]);
      await waitUntil('both early casts arrived', () => seen.length === 2);
      assert.deepEqual(seen.map((s) => s.args.early).sort(), [1, 2]);
    });

    test('stop() drains: an in-flight handler finishes and its reply arrives', async () => {
      const topic = t.topic();
      const release = deferred();
      const started = deferred();
      let handled = 0;
      const slow: RpcEndpoint = {
        version: '1.0',
        methods: {
          slow: async () => {
            handled++;
            started.resolve();
            await release.promise;
            return 'done';
          },
        },
      };
      const listener = await t.transport.listen({ topic }, [slow]);
      const reply = t.transport.call(createContext(), { topic }, 'slow');
      await started.promise;
      const stopped = listener.stop();
      assert.equal(await settlesWithin(stopped, 100), false, 'stop() returned with a handler still running');
      release.resolve();
      assert.equal(await reply, 'done');
      await stopped;
      await t.transport.cast(createContext(), { topic }, 'slow');
      await sleep(150);
      assert.equal(handled, 1, 'a stopped listener still consumed');
    });

    test('a call whose caller timed out still runs; its late reply is dropped', async () => {
      const topic = t.topic();
      const finished = deferred();
      await t.transport.listen({ topic }, [
        {
          version: '1.0',
          methods: {
            late: async () => {
              await sleep(300);
              finished.resolve();
              return 'too late';
            },
          },
        },
      ]);
      await assert.rejects(
        t.transport.call(createContext(), { topic }, 'late', {}, { timeoutMs: 100 }),
        MessagingTimeout,
      );
      await finished.promise;
      assert.equal(
        await t.transport.call(createContext(), { topic }, 'late', {}, { timeoutMs: 5000 }),
        'too late',
      );
    });

    test('close() fails waiting calls with TransportClosed and refuses new ones', async () => {
      const topic = t.topic();
      const waiting = t.transport.call(createContext(), { topic }, 'nobody', {}, { timeoutMs: 10_000 });
      const failed = assert.rejects(waiting, TransportClosed);
      await sleep(50);
      await t.transport.close();
      await failed;
      await assert.rejects(t.transport.cast(createContext(), { topic }, 'x'), TransportClosed);
    });
  });
}
