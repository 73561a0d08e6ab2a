// POST /v3/auth/tokens: turns `{"auth": {"identity": …, "scope": …}}` into a new token. Methods:
// password, token (rescope), application_credential. Scope: project (id, or name + domain), domain,
// system {"all": true}, "unscoped", or none (then the user's default project when they have a role
// on it, else unscoped). Every credential or scope problem is the same 401.
import type { IdentityCore } from '../core.ts';
import { effectiveRoles } from '../effective-roles.ts';
import { authFailed, invalid } from '../errors.ts';
import { verifySecret } from '../passwords.ts';
import * as appCreds from '../store/app-creds.ts';
import * as projects from '../store/projects.ts';
import type * as users from '../store/users.ts';
import { type IssuedToken, issueToken } from '../tokens/issue.ts';
import type { Scope, TokenPayload } from '../tokens/payload.ts';
import type { TokenValidatorCore } from '../tokens/validate.ts';
import { domainRef, isObj, type Obj, objAt, projectRef, strAt, userRef } from './lookup.ts';

const METHODS = ['password', 'token', 'application_credential'];

interface Identified {
  readonly user: users.User;
  readonly methods: readonly string[];
  readonly parent?: TokenPayload;
  readonly appCred?: appCreds.AppCred;
}

async function byPassword(core: IdentityCore, identity: Obj): Promise<Identified> {
  const pw = objAt(identity, 'password', 'identity');
  const ref = objAt(pw, 'user', 'identity.password');
  const password = ref.password;
  if (typeof password !== 'string')
    throw invalid("Invalid input for field 'user': 'password' is a required property");
  const user = await userRef(core.db, ref);
  if (!(await verifySecret(password, user.password_hash))) throw authFailed();
  return { user, methods: ['password'] };
}

async function byToken(validator: TokenValidatorCore, identity: Obj): Promise<Identified> {
  const id = strAt(objAt(identity, 'token', 'identity'), 'id', 'identity.token');
  const parent = await validator.validate(id);
  // Keystone refuses to rescope application credential tokens.
  if (parent.payload.app_cred_id) throw authFailed();
  return { user: parent.user, methods: ['token', ...parent.payload.methods], parent: parent.payload };
}

async function byAppCred(core: IdentityCore, identity: Obj): Promise<Identified> {
  const ac = objAt(identity, 'application_credential', 'identity');
  const secret = strAt(ac, 'secret', 'identity.application_credential');
  let cred: appCreds.AppCred | undefined;
  if (typeof ac.id === 'string') cred = await appCreds.find(core.db, ac.id);
  else if (typeof ac.name === 'string' && isObj(ac.user)) {
    const owner = await userRef(core.db, ac.user);
    cred = await appCreds.findByName(core.db, owner.id, ac.name);
  } else
    throw invalid(
      "Invalid input for field 'application_credential': 'id', or 'name' and 'user', is required",
    );
  if (!cred || !(await verifySecret(secret, cred.secret_hash))) throw authFailed();
  if (cred.expires_at && cred.expires_at.getTime() <= core.now().getTime()) throw authFailed();
  const user = await userRef(core.db, { id: cred.user_id });
  return { user, methods: ['application_credential'], appCred: cred };
}

async function requestedScope(core: IdentityCore, scope: unknown): Promise<Scope | undefined> {
  if (scope === undefined) return undefined;
  if (scope === 'unscoped') return { kind: 'unscoped' };
  if (!isObj(scope)) throw invalid('Invalid input for field \'scope\': must be an object or "unscoped"');
  const kinds = ['project', 'domain', 'system', 'OS-TRUST:trust'].filter((k) => k in scope);
  if (kinds.length !== 1)
    throw invalid("Invalid input for field 'scope': exactly one of project, domain or system");
  if (isObj(scope.project)) return { kind: 'project', id: (await projectRef(core.db, scope.project)).id };
  if (isObj(scope.domain))
    return { kind: 'domain', id: (await domainRef(core.db, scope.domain, 'scope.domain')).id };
  if (isObj(scope.system) && scope.system.all === true) return { kind: 'system' };
  throw invalid("Invalid input for field 'scope': unsupported scope");
}

async function defaultScope(core: IdentityCore, who: Identified): Promise<Scope> {
  if (who.appCred) {
    if (who.appCred.system) return { kind: 'system' };
    if (who.appCred.project_id) return { kind: 'project', id: who.appCred.project_id };
  }
  const pid = who.user.default_project_id;
  if (pid) {
    const p = await projects.find(core.db, pid);
    if (p?.enabled && (await effectiveRoles(core.db, who.user.id, { kind: 'project', id: pid })).length > 0)
      return { kind: 'project', id: pid };
  }
  return { kind: 'unscoped' };
}

function sameScope(a: Scope, b: Scope): boolean {
  return a.kind === b.kind && ('id' in a ? a.id : '') === ('id' in b ? b.id : '');
}

export async function authenticate(
  core: IdentityCore,
  validator: TokenValidatorCore,
  body: unknown,
): Promise<IssuedToken> {
  const auth = objAt(isObj(body) ? body : {}, 'auth', 'auth');
  const identity = objAt(auth, 'identity', 'auth');
  const methods = identity.methods;
  if (!Array.isArray(methods) || methods.length === 0 || !methods.every((m) => typeof m === 'string'))
    throw invalid("Invalid input for field 'identity': 'methods' is a required property");
  const method = methods.find((m) => METHODS.includes(m));
  if (!method || methods.length > 1) throw authFailed();
  const who =
    method === 'password'
      ? await byPassword(core, identity)
      : method === 'token'
        ? await byToken(validator, identity)
        : await byAppCred(core, identity);
  const asked = await requestedScope(core, auth.scope);
  const scope = asked ?? (await defaultScope(core, who));
  if (who.appCred && asked && !sameScope(asked, await defaultScope(core, who))) throw authFailed();
  if (scope.kind !== 'unscoped') {
    const roles = await effectiveRoles(core.db, who.user.id, scope);
    const usable = who.appCred ? roles.filter((r) => who.appCred?.role_ids.includes(r.id)) : roles;
    if (usable.length === 0) throw authFailed();
  }
  return issueToken(core, {
    user_id: who.user.id,
    methods: who.methods,
    scope,
    app_cred_id: who.appCred?.id,
    parent: who.parent,
    notAfter: who.appCred?.expires_at,
  });
}
