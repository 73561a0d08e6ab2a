// What every nova-ts API knows about the caller once its token is validated (what
// keystonemiddleware puts in X-User-Id, X-Project-Id, X-Roles, … and oslo.context reads back).
import { Fault } from '../faults/fault.ts';

export interface AuthContext {
  /** The X-Auth-Token as received ('' under noauth2). */
  readonly token: string;
  readonly user_id: string;
  readonly user_name?: string;
  readonly user_domain_id?: string;
  readonly user_domain_name?: string;
  /** Project scope. */
  readonly project_id?: string;
  readonly project_name?: string;
  readonly project_domain_id?: string;
  readonly project_domain_name?: string;
  /** Domain scope. */
  readonly domain_id?: string;
  readonly domain_name?: string;
  /** System scope: 'all'. */
  readonly system_scope?: string;
  /** Effective role names, implied roles expanded (admin ⇒ manager ⇒ member ⇒ reader). */
  readonly roles: readonly string[];
  readonly is_admin_project: boolean;
  readonly expires_at?: string;
  readonly audit_ids?: readonly string[];
  readonly application_credential_id?: string;
  /** The token's service catalog (Keystone v3 shape), when the validator has it. */
  readonly catalog?: readonly unknown[];
}

/** Turns a token into the caller, or throws Unauthorized (missing, invalid, expired, revoked). */
export interface TokenValidator {
  validate(token: string): Promise<AuthContext>;
}

/** 401: the request carries no valid credentials. APIs add `WWW-Authenticate: Keystone uri="…"`. */
export class Unauthorized extends Fault {
  constructor(message = 'The request you have made requires authentication.', code = 'auth.unauthorized') {
    super(message, 401, code);
  }
}
