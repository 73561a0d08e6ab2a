// Token validation, the fast path every API uses: decrypt with the key repository, check expiry,
// check revocation events (cached), then resolve user, scope and roles (cached per user and scope,
// invalidated by any identity write). Throws Unauthorized with Keystone's generic message.
import { Unauthorized } from '../../auth/types.ts';
import type { GenCache, IdentityCore } from '../core.ts';
import { effectiveRoles } from '../effective-roles.ts';
import * as appCreds from '../store/app-creds.ts';
import * as domains from '../store/domains.ts';
import * as projects from '../store/projects.ts';
import * as revocations from '../store/revocations.ts';
import type { Role } from '../store/roles.ts';
import * as users from '../store/users.ts';
import { decrypt } from './fernet.ts';
import { decodePayload, type Scope, type TokenPayload } from './payload.ts';

/** What a valid token stands for, resolved against the current database. */
export interface TokenSubject {
  readonly user: users.User;
  readonly userDomain: domains.Domain;
  readonly project?: projects.Project;
  readonly projectDomain?: domains.Domain;
  readonly domain?: domains.Domain;
  readonly roles: readonly Role[];
  readonly appCred?: appCreds.AppCred;
}

export interface ValidatedToken extends TokenSubject {
  readonly id: string;
  readonly payload: TokenPayload;
}

const invalid = (why: string) =>
  new Unauthorized('The request you have made requires authentication.', `identity.token.${why}`);

export function scopeKey(s: Scope): string {
  return s.kind === 'project' || s.kind === 'domain' ? `${s.kind}:${s.id}` : s.kind;
}

/** Decrypts and checks expiry only (no database): the payload, or throws. */
export function openToken(core: IdentityCore, token: string): TokenPayload {
  const now = core.now();
  const keys = core.keys.keys(now.getTime());
  let opened = decrypt(keys.all, token);
  if (!opened && core.keys.reloadAfterMiss(now.getTime()))
    opened = decrypt(core.keys.keys(now.getTime()).all, token);
  const payload = opened ? decodePayload(opened.plaintext) : undefined;
  if (!payload) throw invalid('malformed');
  if (payload.expires_at.getTime() <= now.getTime()) throw invalid('expired');
  return payload;
}

interface RevocationSnapshot {
  readonly events: readonly revocations.RevocationEvent[];
}

export class TokenValidatorCore {
  readonly #core: IdentityCore;
  readonly #subjects: GenCache<TokenSubject>;
  readonly #revoked: GenCache<RevocationSnapshot>;

  constructor(core: IdentityCore, makeCache: <T>() => GenCache<T>) {
    this.#core = core;
    this.#subjects = makeCache<TokenSubject>();
    this.#revoked = makeCache<RevocationSnapshot>();
  }

  async validate(token: string): Promise<ValidatedToken> {
    const payload = openToken(this.#core, token);
    const events = await this.#revocationEvents();
    const facts = {
      audit_ids: payload.audit_ids,
      user_id: payload.user_id,
      issued_at: payload.issued_at,
      ...(payload.scope.kind === 'project' ? { project_id: payload.scope.id } : {}),
      ...(payload.scope.kind === 'domain' ? { domain_id: payload.scope.id } : {}),
    };
    if (revocations.isRevoked(events, facts)) throw invalid('revoked');
    const key = `${payload.user_id}|${scopeKey(payload.scope)}|${payload.app_cred_id ?? ''}`;
    let subject = this.#subjects.get(key);
    if (!subject) {
      subject = await resolveSubject(this.#core, payload.user_id, payload.scope, payload.app_cred_id);
      this.#subjects.set(key, subject);
    }
    if (subject.appCred?.expires_at && subject.appCred.expires_at.getTime() <= this.#core.now().getTime())
      throw invalid('app_cred_expired');
    return Object.freeze({ ...subject, id: token, payload });
  }

  async #revocationEvents(): Promise<readonly revocations.RevocationEvent[]> {
    const hit = this.#revoked.get('all');
    if (hit) return hit.events;
    // A token lives at most tokenExpiration seconds; older events cannot match a live token.
    const since = new Date(this.#core.now().getTime() - this.#core.tokenExpiration * 1000 * 2);
    const events = await revocations.listSince(this.#core.db, since);
    this.#revoked.set('all', { events });
    return events;
  }
}

async function enabledDomain(core: IdentityCore, id: string): Promise<domains.Domain> {
  const d = await domains.find(core.db, id);
  if (!d?.enabled) throw invalid('domain_disabled');
  return d;
}

/** User, scope and roles as they are now; throws Unauthorized when any of them no longer allows the token. */
export async function resolveSubject(
  core: IdentityCore,
  userId: string,
  scope: Scope,
  appCredId?: string,
): Promise<TokenSubject> {
  const db = core.db;
  const user = await users.find(db, userId);
  if (!user?.enabled) throw invalid('user_disabled');
  const userDomain = await enabledDomain(core, user.domain_id);
  let appCred: appCreds.AppCred | undefined;
  if (appCredId) {
    appCred = await appCreds.find(db, appCredId);
    if (!appCred || appCred.user_id !== user.id) throw invalid('app_cred_gone');
  }
  let project: projects.Project | undefined;
  let projectDomain: domains.Domain | undefined;
  let domain: domains.Domain | undefined;
  if (scope.kind === 'project') {
    project = await projects.find(db, scope.id);
    if (!project?.enabled) throw invalid('project_disabled');
    projectDomain = await enabledDomain(core, project.domain_id);
  } else if (scope.kind === 'domain') {
    domain = await enabledDomain(core, scope.id);
  }
  let roles = await effectiveRoles(db, user.id, scope);
  if (appCred) {
    const allowed = new Set(appCred.role_ids);
    roles = roles.filter((r) => allowed.has(r.id));
  }
  if (scope.kind !== 'unscoped' && roles.length === 0) throw invalid('no_roles');
  return Object.freeze({
    user,
    userDomain,
    project,
    projectDomain,
    domain,
    roles: Object.freeze(roles),
    appCred,
  });
}
