import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Unauthorized } from '../../auth/types.ts';
import { authenticate } from '../auth/authenticate.ts';
import { ADMIN_PASSWORD, passwordAuth, projectScope, type TestIdentity, testIdentity } from '../testing.ts';
import { decrypt, encrypt, generateKey, parseKey } from './fernet.ts';
import { rotateKeys } from './key-repository.ts';
import { decodePayload } from './payload.ts';

describe('Fernet', () => {
  const key = parseKey(generateKey());
  it('round-trips and carries the timestamp', () => {
    const t = encrypt(key, Buffer.from('hello'), 1_700_000_000);
    const d = decrypt([key], t);
    assert.equal(d?.plaintext.toString(), 'hello');
    assert.equal(d?.timestamp, 1_700_000_000);
  });
  it('refuses a tampered token, a wrong key and garbage', () => {
    const t = encrypt(key, Buffer.from('hello'), 1);
    const raw = Buffer.from(t, 'base64url');
    for (const i of [0, 5, 30, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[i] ^= 1;
      assert.equal(decrypt([key], bad.toString('base64url')), undefined, `byte ${i}`);
    }
    assert.equal(decrypt([parseKey(generateKey())], t), undefined);
    assert.equal(decrypt([key], 'not-a-token'), undefined);
    assert.equal(decrypt([key], ''), undefined);
  });
});

describe('tokens', () => {
  let ti: TestIdentity;
  before(async () => {
    ti = await testIdentity();
  });
  after(() => ti.cleanup());

  const issue = () =>
    authenticate(ti.svc.core, ti.svc.tokens, passwordAuth('admin', ADMIN_PASSWORD, projectScope('admin')));

  it('issues a project token that validates with implied roles', async () => {
    const t = await issue();
    const v = await ti.svc.tokens.validate(t.id);
    assert.equal(v.user.name, 'admin');
    assert.equal(v.project?.name, 'admin');
    assert.deepEqual(v.roles.map((r) => r.name).sort(), ['admin', 'manager', 'member', 'reader']);
    assert.deepEqual(v.payload.methods, ['password']);
  });

  it('refuses a tampered token', async () => {
    const t = await issue();
    const tampered = t.id.slice(0, 40) + (t.id[40] === 'A' ? 'B' : 'A') + t.id.slice(41);
    await assert.rejects(ti.svc.tokens.validate(tampered), Unauthorized);
  });

  it('expires', async () => {
    const t = await issue();
    ti.clock.advance(3599_000);
    await ti.svc.tokens.validate(t.id);
    ti.clock.advance(2000);
    await assert.rejects(ti.svc.tokens.validate(t.id), Unauthorized);
  });

  it('keeps old tokens valid across rotations while their key is in the repository', async () => {
    const t = await issue();
    rotateKeys(ti.keyDir, 3);
    ti.svc.core.keys.reload();
    await ti.svc.tokens.validate(t.id);
    const t2 = await issue();
    rotateKeys(ti.keyDir, 3);
    ti.svc.core.keys.reload();
    // t's key (the first primary) is now pruned: 3 keys = staged, primary, one secondary (t2's).
    await assert.rejects(ti.svc.tokens.validate(t.id), Unauthorized);
    await ti.svc.tokens.validate(t2.id);
  });

  it('payload decoding refuses other shapes', () => {
    assert.equal(decodePayload(Buffer.from('[2]')), undefined);
    assert.equal(decodePayload(Buffer.from('{}')), undefined);
    assert.equal(decodePayload(Buffer.from('\x00')), undefined);
  });

  it('refuses a wrong password, an unknown user and a project without roles with the same 401', async () => {
    const bad = [
      passwordAuth('admin', 'wrong', projectScope('admin')),
      passwordAuth('nobody', 'x', projectScope('admin')),
      passwordAuth('admin', ADMIN_PASSWORD, projectScope('nope')),
    ];
    for (const body of bad) {
      await assert.rejects(authenticate(ti.svc.core, ti.svc.tokens, body), (e: Error) => {
        assert.ok(e instanceof Unauthorized);
        assert.equal(e.message, 'The request you have made requires authentication.');
        return true;
      });
    }
  });
});
