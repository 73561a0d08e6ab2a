// Key pair views (upstream views/keypairs.py): `type` from 2.2; show adds the row's bookkeeping.
import type { Keypair } from '../../../objects/keypair.ts';
import type { ApiVersion } from '../microversion.ts';
import { isoTime } from './time.ts';

export function keypairIndexItem(k: Keypair, mv: ApiVersion) {
  return {
    keypair: {
      name: k.name,
      public_key: k.public_key,
      fingerprint: k.fingerprint,
      ...(mv.atLeast('2.2') && { type: k.type }),
    },
  };
}

export function keypairCreated(k: Keypair, mv: ApiVersion, privateKey?: string) {
  return {
    keypair: {
      ...(privateKey !== undefined && { private_key: privateKey }),
      ...(mv.atLeast('2.2') && { type: k.type }),
      name: k.name,
      public_key: k.public_key,
      fingerprint: k.fingerprint,
      user_id: k.user_id,
    },
  };
}

export function keypairShow(k: Keypair, mv: ApiVersion) {
  return {
    keypair: {
      name: k.name,
      public_key: k.public_key,
      fingerprint: k.fingerprint,
      user_id: k.user_id,
      created_at: isoTime(k.created_at),
      deleted: false,
      deleted_at: null,
      id: k.id,
      updated_at: isoTime(k.updated_at),
      ...(mv.atLeast('2.2') && { type: k.type }),
    },
  };
}
