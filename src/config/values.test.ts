import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineGroup } from './group.ts';
import {
  boolOpt,
  dictOpt,
  floatOpt,
  hostAddressOpt,
  intOpt,
  ipOpt,
  listOpt,
  portOpt,
  strOpt,
  uriOpt,
} from './opt.ts';
import { buildRegistry } from './registry.ts';
import { convertValue, isHostname, parseBool, splitList, ValueProblem } from './values.ts';

const reg = buildRegistry([
  defineGroup('t', 'T', 'test', {
    b: boolOpt({ help: 'b', default: false }),
    i: intOpt({ help: 'i', default: 1, min: 0, max: 10 }),
    q: intOpt({ help: 'q', choices: [256, 512] }),
    f: floatOpt({ help: 'f', default: 1.5, min: 0 }),
    p: portOpt({ help: 'p', default: 80 }),
    l: listOpt({ help: 'l', default: [] }),
    lc: listOpt({ help: 'lc', itemChoices: ['a', 'b'], removedItems: { old: 'gone' } }),
    d: dictOpt({ help: 'd' }),
    u: uriOpt({ help: 'u' }),
    us: uriOpt({ help: 'us', schemes: ['http', 'https'] }),
    ip: ipOpt({ help: 'ip' }),
    ha: hostAddressOpt({ help: 'ha' }),
    c: strOpt({ help: 'c', choices: ['kvm', 'qemu'] }),
    re: strOpt({ help: 're', pattern: /^\d+:\d+$/ }),
  }),
]);

const conv = (name: string, raw: string, warnings: string[] = []) =>
  convertValue(reg.find('t', name)!, raw, (m) => warnings.push(m));
const bad = (name: string, raw: string, why: RegExp) =>
  assert.throws(
    () => conv(name, raw),
    (e: unknown) => e instanceof ValueProblem && why.test(e.message),
  );

test('booleans: true/false/yes/no/on/off/1/0 in any case', () => {
  for (const t of ['True', 'true', 'YES', 'on', '1', ' yes ']) assert.equal(parseBool(t), true);
  for (const f of ['False', 'false', 'No', 'OFF', '0']) assert.equal(parseBool(f), false);
  bad('b', 'maybe', /'maybe' is not a boolean/);
  bad('b', '', /is not a boolean/);
});

test('integers with min and max; empty means unset', () => {
  assert.equal(conv('i', ' 7 '), 7);
  assert.equal(conv('i', '+3'), 3);
  assert.equal(conv('i', ''), undefined);
  bad('i', 'abc', /^'abc' is not an integer$/);
  bad('i', '1.5', /not an integer/);
  bad('i', '-1', /less than the minimum 0/);
  bad('i', '11', /more than the maximum 10/);
  assert.equal(conv('q', '512'), 512);
  bad('q', '300', /not one of: 256, 512/);
});

test('floats', () => {
  assert.equal(conv('f', '16.0'), 16);
  assert.equal(conv('f', '.5'), 0.5);
  assert.equal(conv('f', '2'), 2);
  bad('f', 'x', /not a number/);
  bad('f', '-0.1', /minimum/);
});

test('ports are 0-65535', () => {
  assert.equal(conv('p', '8774'), 8774);
  assert.equal(conv('p', '0'), 0);
  bad('p', '65536', /not a port number/);
  bad('p', 'http', /not an integer/);
});

test('lists: comma separated, trimmed, empty string is the empty list', () => {
  assert.deepEqual(conv('l', ' a , b,c '), ['a', 'b', 'c']);
  assert.deepEqual(conv('l', ''), []);
  assert.deepEqual(splitList('a,,b,'), ['a', 'b']);
});

test('list item choices; removed items are dropped with a warning', () => {
  const w: string[] = [];
  assert.deepEqual(conv('lc', 'old,a,b', w), ['a', 'b']);
  assert.deepEqual(w, ["'old' is dropped: gone"]);
  bad('lc', 'a,c', /item 'c' is not one of: a, b/);
});

test('dicts are k:v pairs', () => {
  assert.deepEqual(conv('d', 'a:1, b : x:y'), { a: '1', b: 'x:y' });
  assert.deepEqual(conv('d', ''), {});
  bad('d', 'a:1,b', /'b' is not a key:value pair/);
});

test('uris must have a scheme and parse; schemes can be limited', () => {
  assert.equal(conv('u', 'http://127.0.0.1:6080/vnc_auto.html'), 'http://127.0.0.1:6080/vnc_auto.html');
  assert.equal(conv('u', 'ws://h:6083/'), 'ws://h:6083/');
  bad('u', 'localhost:9292/x y', /not a valid URI/);
  bad('u', '/just/a/path', /not a valid URI/);
  bad('us', 'ftp://h/', /scheme ftp, not one of: http, https/);
});

test('ip addresses and host addresses', () => {
  assert.equal(conv('ip', '10.1.2.3'), '10.1.2.3');
  assert.equal(conv('ip', '::1'), '::1');
  bad('ip', 'host.example', /not an IP address/);
  assert.equal(conv('ha', '0.0.0.0'), '0.0.0.0');
  assert.equal(conv('ha', 'controller.example.org'), 'controller.example.org');
  bad('ha', 'bad host', /not an IP address or host name/);
  assert.equal(isHostname('a-b.c_d'), true);
  assert.equal(isHostname('-a'), false);
  assert.equal(isHostname('1.2.3.999'), false);
});

test('string choices and patterns', () => {
  assert.equal(conv('c', 'qemu'), 'qemu');
  bad('c', 'xen', /^'xen' is not one of: kvm, qemu$/);
  assert.equal(conv('re', '10000:20000'), '10000:20000');
  bad('re', '10000-20000', /does not match/);
});
