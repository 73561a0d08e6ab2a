// What upstream's KeypairAPI does: import or generate a key pair under the user's key_pairs quota
// (checked before, and again after when [quota] recheck_quota), list, show, delete.
import type { Clock } from '../common/clock.ts';
import { Forbidden } from '../faults/fault.ts';
import type { Keypair, KeypairType } from '../objects/keypair.ts';
import * as keypairs from '../objects/keypair.ts';
import { keypairsLeft, type QuotaDeps } from './quotas.ts';
import { generateSshKey, generateX509, sshFingerprint, x509Fingerprint } from './ssh-keys.ts';

export class KeypairLimitExceeded extends Forbidden {
  constructor() {
    super('Quota exceeded, too many key pairs.', 'nova.keypair_limit_exceeded');
  }
}

export interface KeypairDeps extends QuotaDeps {
  readonly clock: Clock;
}

export interface NewKey {
  readonly userId: string;
  readonly projectId: string;
  readonly name: string;
  readonly type: KeypairType;
  /** Import this key; generate one when absent. */
  readonly publicKey?: string;
}

async function checkQuota(d: KeypairDeps, projectId: string, userId: string, delta: number): Promise<void> {
  if ((await keypairsLeft(d, projectId, userId)) < delta) throw new KeypairLimitExceeded();
}

/** Creates the key pair; `privateKey` is set only when it was generated (returned once, never stored). */
export async function createKeypair(
  d: KeypairDeps,
  k: NewKey,
): Promise<{ keypair: Keypair; privateKey?: string }> {
  await checkQuota(d, k.projectId, k.userId, 1);
  let publicKey = k.publicKey;
  let fingerprint: string;
  let privateKey: string | undefined;
  if (publicKey !== undefined) {
    fingerprint = k.type === 'x509' ? x509Fingerprint(publicKey) : sshFingerprint(publicKey);
  } else {
    const gen = k.type === 'x509' ? generateX509(k.userId) : generateSshKey();
    ({ publicKey, fingerprint, privateKey } = gen);
  }
  const keypair = await keypairs.create(
    d.apiDb,
    { name: k.name, user_id: k.userId, fingerprint, public_key: publicKey, type: k.type },
    d.clock.now(),
  );
  if (d.conf.quota.recheck_quota && (await keypairsLeft(d, k.projectId, k.userId)) < 0) {
    await keypairs.destroy(d.apiDb, k.userId, k.name);
    throw new KeypairLimitExceeded();
  }
  return privateKey === undefined ? { keypair } : { keypair, privateKey };
}
