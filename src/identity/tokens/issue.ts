// Minting tokens: a payload encrypted with the primary Fernet key.
import type { IdentityCore } from '../core.ts';
import { encrypt } from './fernet.ts';
import { encodePayload, newAuditId, type Scope, type TokenPayload } from './payload.ts';

export interface IssueRequest {
  readonly user_id: string;
  readonly methods: readonly string[];
  readonly scope: Scope;
  readonly app_cred_id?: string;
  /** A rescoped token keeps its parent's expiry and audit chain. */
  readonly parent?: TokenPayload;
  /** Cap the expiry (an application credential's expires_at). */
  readonly notAfter?: Date | null;
}

export interface IssuedToken {
  readonly id: string;
  readonly payload: TokenPayload;
}

export function issueToken(core: IdentityCore, r: IssueRequest): IssuedToken {
  const now = core.now();
  let expires = r.parent?.expires_at ?? new Date(now.getTime() + core.tokenExpiration * 1000);
  if (r.notAfter && r.notAfter.getTime() < expires.getTime()) expires = r.notAfter;
  const chain = r.parent ? r.parent.audit_ids[r.parent.audit_ids.length - 1] : undefined;
  const payload: TokenPayload = Object.freeze({
    user_id: r.user_id,
    methods: Object.freeze([...new Set(r.methods)]),
    scope: r.scope,
    issued_at: now,
    expires_at: expires,
    audit_ids: Object.freeze(chain ? [newAuditId(), chain] : [newAuditId()]),
    ...(r.app_cred_id ? { app_cred_id: r.app_cred_id } : {}),
  });
  const id = encrypt(core.keys.keys(now.getTime()).primary, encodePayload(payload), now.getTime() / 1000);
  return Object.freeze({ id, payload });
}
