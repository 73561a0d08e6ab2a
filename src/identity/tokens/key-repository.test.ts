import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { StartupError } from '../../faults/fault.ts';
import { decrypt, encrypt } from './fernet.ts';
import { KeyRepository, loadKeys, rotateKeys, setupKeys } from './key-repository.ts';

describe('Fernet key repository', () => {
  const root = mkdtempSync(join(tmpdir(), 'novats-keys-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('sets up 0 (staged) and 1 (primary), mode 0600 in a 0700 directory; only once', () => {
    const dir = join(root, 'a');
    assert.equal(setupKeys(dir), true);
    assert.equal(setupKeys(dir), false);
    assert.deepEqual(readdirSync(dir).sort(), ['0', '1']);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, '1')).mode & 0o777, 0o600);
  });

  it('rotates like keystone-manage fernet_rotate and prunes beyond max_active_keys', () => {
    const dir = join(root, 'b');
    setupKeys(dir);
    assert.equal(rotateKeys(dir, 3), 2);
    assert.deepEqual(readdirSync(dir).sort(), ['0', '1', '2']);
    assert.equal(rotateKeys(dir, 3), 3);
    assert.deepEqual(readdirSync(dir).sort(), ['0', '2', '3']);
    assert.equal(rotateKeys(dir, 4), 4);
    assert.deepEqual(readdirSync(dir).sort(), ['0', '2', '3', '4']);
  });

  it('the staged key becomes primary, so a token made by a node that rotated first still opens', () => {
    const dir = join(root, 'c');
    setupKeys(dir);
    const before = loadKeys(dir);
    rotateKeys(dir);
    const afterRotate = loadKeys(dir);
    const t = encrypt(afterRotate.primary, Buffer.from('x'), 1);
    assert.ok(decrypt(before.all, t), 'old node opens it with its staged key');
  });

  it('reloads after a miss (rate-limited) when another process rotated', () => {
    const dir = join(root, 'd');
    setupKeys(dir);
    const repo = new KeyRepository(dir, 60_000);
    rotateKeys(dir);
    rotateKeys(dir);
    const t = encrypt(loadKeys(dir).primary, Buffer.from('y'), 1);
    assert.equal(decrypt(repo.keys(0).all, t), undefined);
    assert.equal(repo.reloadAfterMiss(10_000), true);
    assert.ok(decrypt(repo.keys(0).all, t));
    assert.equal(repo.reloadAfterMiss(10_500), false);
  });

  it('a missing or empty repository is a one-line StartupError', () => {
    assert.throws(() => loadKeys(join(root, 'none')), StartupError);
  });
});
