// What a token carries (Keystone's Fernet payloads, in our own compact JSON form): who, how they
// authenticated, the scope, when it was issued and expires, its audit chain, and the application
// credential it came from. Everything else (roles, catalog, names) is looked up at validation time.
import { randomBytes } from 'node:crypto';

export type Scope =
  | { readonly kind: 'unscoped' }
  | { readonly kind: 'project'; readonly id: string }
  | { readonly kind: 'domain'; readonly id: string }
  | { readonly kind: 'system' };

export interface TokenPayload {
  readonly user_id: string;
  readonly methods: readonly string[];
  readonly scope: Scope;
  readonly issued_at: Date;
  readonly expires_at: Date;
  /** [this token's audit id, the chain's first audit id when rescoped]. */
  readonly audit_ids: readonly string[];
  readonly app_cred_id?: string;
}

const FORMAT = 1;
const METHODS = ['password', 'token', 'application_credential', 'totp', 'external', 'mapped'];
const SCOPES = { unscoped: 'u', project: 'p', domain: 'd', system: 's' } as const;

/** Keystone's audit ids: 16 random bytes, url-safe base64 without padding. */
export const newAuditId = (): string => randomBytes(16).toString('base64url');

export function encodePayload(p: TokenPayload): Buffer {
  const mask = p.methods.reduce((m, name) => m | (1 << Math.max(0, METHODS.indexOf(name))), 0);
  const scopeId = p.scope.kind === 'project' || p.scope.kind === 'domain' ? p.scope.id : 0;
  const arr = [
    FORMAT,
    p.user_id,
    mask,
    SCOPES[p.scope.kind],
    scopeId,
    p.issued_at.getTime(),
    p.expires_at.getTime(),
    p.audit_ids,
    p.app_cred_id ?? 0,
  ];
  return Buffer.from(JSON.stringify(arr), 'utf8');
}

const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function scopeOf(code: unknown, id: unknown): Scope | undefined {
  if (code === 'u') return { kind: 'unscoped' };
  if (code === 's') return { kind: 'system' };
  if (code === 'p' && isStr(id)) return { kind: 'project', id };
  if (code === 'd' && isStr(id)) return { kind: 'domain', id };
  return undefined;
}

/** The payload, or undefined when the bytes are not one (a token of another format). */
export function decodePayload(buf: Buffer): TokenPayload | undefined {
  let arr: unknown;
  try {
    arr = JSON.parse(buf.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(arr) || arr.length !== 9 || arr[0] !== FORMAT) return undefined;
  const [, user, mask, code, id, issued, expires, audits, appCred] = arr as unknown[];
  const scope = scopeOf(code, id);
  if (!isStr(user) || typeof mask !== 'number' || !scope) return undefined;
  if (typeof issued !== 'number' || typeof expires !== 'number') return undefined;
  if (!Array.isArray(audits) || !audits.every(isStr)) return undefined;
  return Object.freeze({
    user_id: user,
    methods: Object.freeze(METHODS.filter((_, i) => mask & (1 << i))),
    scope,
    issued_at: new Date(issued),
    expires_at: new Date(expires),
    audit_ids: Object.freeze(audits as string[]),
    ...(isStr(appCred) ? { app_cred_id: appCred } : {}),
  });
}
