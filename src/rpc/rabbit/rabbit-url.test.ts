import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StartupError } from '../../faults/fault.ts';
import { redactUrl } from '../transport-url.ts';
import { parseRabbitUrl } from './rabbit-url.ts';

test('defaults: guest:guest, port 5672, vhost /', () => {
  for (const url of ['rabbit://', 'rabbit://localhost', 'rabbit://localhost/', 'amqp://localhost:5672']) {
    const u = parseRabbitUrl(url);
    assert.deepEqual(
      u.hosts,
      [{ hostname: 'localhost', port: 5672, username: 'guest', password: 'guest' }],
      url,
    );
    assert.equal(u.vhost, '/', url);
  }
});

test('several hosts, credentials and vhost are decoded', () => {
  const u = parseRabbitUrl('rabbit://nova:p%40ss@10.0.0.1:5673,other:pw@[::1]/nova%2Fvh');
  assert.deepEqual(u.hosts, [
    { hostname: '10.0.0.1', port: 5673, username: 'nova', password: 'p@ss' },
    { hostname: '::1', port: 5672, username: 'other', password: 'pw' },
  ]);
  assert.equal(u.vhost, 'nova/vh');
  assert.equal(u.redacted, 'rabbit://nova:***@10.0.0.1:5673,other:***@[::1]/nova%2Fvh');
});

test('bad URLs are StartupErrors', () => {
  for (const url of ['rabbit://h:0/', 'rabbit://h:99999', 'rabbit://[::1/', 'memory://', 'rabbit://a,,b/']) {
    assert.throws(() => parseRabbitUrl(url), StartupError, url);
  }
});

test('redactUrl masks every password and nothing else', () => {
  assert.equal(redactUrl('rabbit://a:b@h1,c:d@h2:1/v'), 'rabbit://a:***@h1,c:***@h2:1/v');
  assert.equal(redactUrl('rabbit://h1:5672/'), 'rabbit://h1:5672/');
  assert.equal(redactUrl('memory://'), 'memory://');
});
