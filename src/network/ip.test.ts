import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalIp, defaultPools, formatCidr, formatIp, overlaps, parseCidr, parseIp } from './ip.ts';

test('parse and format IPv4 and IPv6 (RFC 5952 compression)', () => {
  assert.equal(canonicalIp('10.0.0.1'), '10.0.0.1');
  assert.equal(canonicalIp('010.0.0.1'), undefined);
  assert.equal(canonicalIp('256.0.0.1'), undefined);
  assert.equal(canonicalIp('FD00:0:0:0:0:0:0:1'), 'fd00::1');
  assert.equal(canonicalIp('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(canonicalIp('::'), '::');
  assert.equal(canonicalIp('::ffff:10.0.0.1'), '::ffff:a00:1');
  assert.equal(canonicalIp('1::2::3'), undefined);
  assert.equal(formatIp(6, parseIp('fe80::1')!.value), 'fe80::1');
});

test('CIDRs: strict and loose parsing, overlap', () => {
  assert.equal(parseCidr('10.0.0.1/24'), undefined);
  assert.equal(formatCidr(parseCidr('10.0.0.1/24', true)!), '10.0.0.0/24');
  assert.ok(overlaps(parseCidr('10.0.0.0/24')!, parseCidr('10.0.0.128/25')!));
  assert.ok(!overlaps(parseCidr('10.0.0.0/25')!, parseCidr('10.0.0.128/25')!));
  assert.ok(!overlaps(parseCidr('10.0.0.0/8')!, parseCidr('fd00::/8')!));
});

test('default pools leave out the network, broadcast and gateway addresses', () => {
  const c = parseCidr('10.0.0.0/24')!;
  const text = (ps: { start: bigint; end: bigint }[]) =>
    ps.map((p) => `${formatIp(4, p.start)}-${formatIp(4, p.end)}`);
  assert.deepEqual(text(defaultPools(c, parseIp('10.0.0.1')!.value)), ['10.0.0.2-10.0.0.254']);
  assert.deepEqual(text(defaultPools(c, parseIp('10.0.0.100')!.value)), [
    '10.0.0.1-10.0.0.99',
    '10.0.0.101-10.0.0.254',
  ]);
  assert.deepEqual(text(defaultPools(c, undefined)), ['10.0.0.1-10.0.0.254']);
});
