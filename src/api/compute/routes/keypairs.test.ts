import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ALICE, BOB, startTestApi, type TestApi } from '../test-support.ts';

const PUB =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDx8nkQv/zgGgB4rMYmIf+6A4l6Rr+o/6lHBQdW5aYd44bd8JttDCE/F/pNRr0lRE+PiqSPO8nDPHw0010JeMH9gYgnnFlyY3/OcJ02RhIPyyxYpv9FhY+2YiUkpwFOcLImyrxEsYXpD/0d3ac30bNH6Sw9JD9UZHYcpSxsIbECHw== Generated-by-Nova';

function md5Fingerprint(line: string): string {
  const hex = createHash('md5')
    .update(Buffer.from(line.split(' ')[1], 'base64'))
    .digest('hex');
  return hex.match(/../g)!.join(':');
}

describe('keypairs', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi([{ group: 'quota', name: 'key_pairs', value: '3' }]);
  });
  after(() => t.close());

  it('imports a key at 2.1 (200) with its MD5 fingerprint', async () => {
    const r = await t.call('POST', '/v2.1/os-keypairs', {
      token: ALICE,
      body: { keypair: { name: 'imported', public_key: PUB } },
    });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), {
      keypair: { name: 'imported', public_key: PUB, fingerprint: md5Fingerprint(PUB), user_id: 'alice' },
    });
  });

  it('generates an RSA key once (201 from 2.2) that the fingerprint matches', async () => {
    const r = await t.call('POST', '/v2.1/os-keypairs', {
      token: ALICE,
      mv: '2.2',
      body: { keypair: { name: 'gen' } },
    });
    assert.equal(r.statusCode, 201);
    const k = r.json().keypair;
    assert.equal(k.type, 'ssh');
    assert.match(k.private_key, /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.match(k.public_key, /^ssh-rsa \S+ Generated-by-Nova$/);
    assert.equal(k.fingerprint, md5Fingerprint(k.public_key));
    const show = await t.call('GET', '/v2.1/os-keypairs/gen', { token: ALICE, mv: '2.2' });
    assert.equal('private_key' in show.json().keypair, false);
    assert.equal(show.json().keypair.deleted, false);
    assert.equal(show.json().keypair.created_at, '2026-01-02T03:04:05.678000');
  });

  it('requires public_key and allows @ and . in names from 2.92', async () => {
    const gen = await t.call('POST', '/v2.1/os-keypairs', {
      token: ALICE,
      mv: '2.92',
      body: { keypair: { name: 'x' } },
    });
    assert.equal(gen.statusCode, 400);
    assert.equal(
      gen.json().badRequest.message,
      "Invalid input for field/attribute keypair. Value: {'name': 'x'}. 'public_key' is a required property",
    );
    const at91 = await t.call('POST', '/v2.1/os-keypairs', {
      token: ALICE,
      mv: '2.91',
      body: { keypair: { name: 'a@b', public_key: PUB } },
    });
    assert.equal(at91.statusCode, 400);
    const at92 = await t.call('POST', '/v2.1/os-keypairs', {
      token: ALICE,
      mv: '2.92',
      body: { keypair: { name: 'a@b.c', public_key: PUB } },
    });
    assert.equal(at92.statusCode, 201);
  });

  it('refuses a bad key, a duplicate name and a fourth key (quota 3)', async () => {
    const bad = await t.call('POST', '/v2.1/os-keypairs', {
      token: BOB,
      body: { keypair: { name: 'b', public_key: 'ssh-rsa AAAA' } },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().badRequest.message, 'Keypair data is invalid: failed to generate fingerprint');
    const first = await t.call('POST', '/v2.1/os-keypairs', {
      token: BOB,
      body: { keypair: { name: 'dupe', public_key: PUB } },
    });
    assert.equal(first.statusCode, 200);
    const dup = await t.call('POST', '/v2.1/os-keypairs', {
      token: BOB,
      body: { keypair: { name: 'dupe', public_key: PUB } },
    });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().conflictingRequest.message, "Key pair 'dupe' already exists.");
    const over = await t.call('POST', '/v2.1/os-keypairs', {
      token: ALICE,
      body: { keypair: { name: 'fourth', public_key: PUB } },
    });
    assert.equal(over.statusCode, 403);
    assert.equal(over.json().forbidden.message, 'Quota exceeded, too many key pairs.');
  });

  it('lists with type from 2.2 and pages from 2.35', async () => {
    const v21 = await t.call('GET', '/v2.1/os-keypairs', { token: ALICE });
    assert.deepEqual(Object.keys(v21.json().keypairs[0].keypair).sort(), [
      'fingerprint',
      'name',
      'public_key',
    ]);
    const v22 = await t.call('GET', '/v2.1/os-keypairs', { token: ALICE, mv: '2.2' });
    assert.equal(v22.json().keypairs[0].keypair.type, 'ssh');
    const paged = await t.call('GET', '/v2.1/os-keypairs?limit=1', {
      token: ALICE,
      mv: '2.35',
      headers: { host: 'h' },
    });
    assert.equal(paged.json().keypairs.length, 1);
    assert.deepEqual(paged.json().keypairs_links, [
      { rel: 'next', href: 'http://h/v2.1/os-keypairs?limit=1&marker=a%40b.c' },
    ]);
    const ignored = await t.call('GET', '/v2.1/os-keypairs?limit=1', { token: ALICE, mv: '2.34' });
    assert.equal(ignored.json().keypairs.length, 3);
  });

  it('lets admins act for other users from 2.10 only; users see only their own', async () => {
    const other = await t.call('GET', '/v2.1/os-keypairs?user_id=alice', { token: BOB, mv: '2.10' });
    assert.equal(other.statusCode, 403);
    assert.equal(
      other.json().forbidden.message,
      "Policy doesn't allow os_compute_api:os-keypairs:index to be performed.",
    );
    const admin = await t.call('GET', '/v2.1/os-keypairs?user_id=alice', { mv: '2.10' });
    assert.equal(admin.json().keypairs.length, 3);
    const before210 = await t.call('GET', '/v2.1/os-keypairs?user_id=alice', { mv: '2.9' });
    assert.equal(before210.json().keypairs.length, 0);
    const forBob = await t.call('POST', '/v2.1/os-keypairs', {
      mv: '2.10',
      body: { keypair: { name: 'bobs', public_key: PUB, user_id: 'bob' } },
    });
    assert.equal(forBob.json().keypair.user_id, 'bob');
  });

  it('deletes (202 at 2.1, 204 from 2.2) and 404s after', async () => {
    const d1 = await t.call('DELETE', '/v2.1/os-keypairs/imported', { token: ALICE });
    assert.equal(d1.statusCode, 202);
    const d2 = await t.call('DELETE', '/v2.1/os-keypairs/gen', { token: ALICE, mv: '2.2' });
    assert.equal(d2.statusCode, 204);
    const again = await t.call('DELETE', '/v2.1/os-keypairs/gen', { token: ALICE, mv: '2.2' });
    assert.equal(again.statusCode, 404);
    assert.equal(again.json().itemNotFound.message, 'Keypair gen not found for user alice');
  });

  it('imports x509 certificates (2.2) with their SHA-1 fingerprint', async () => {
    const gen = await t.call('POST', '/v2.1/os-keypairs', {
      token: 'carol:0a1b2c3d',
      mv: '2.2',
      body: { keypair: { name: 'cert', type: 'x509' } },
    });
    assert.equal(gen.statusCode, 201);
    const cert = gen.json().keypair.public_key as string;
    assert.match(cert, /BEGIN CERTIFICATE/);
    assert.match(gen.json().keypair.fingerprint, /^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    const imp = await t.call('POST', '/v2.1/os-keypairs', {
      token: 'carol:0a1b2c3d',
      mv: '2.2',
      body: { keypair: { name: 'cert2', type: 'x509', public_key: cert } },
    });
    assert.equal(imp.json().keypair.fingerprint, gen.json().keypair.fingerprint);
  });
});
