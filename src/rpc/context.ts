// The caller's request context: plain JSON that travels with every RPC message (oslo.context's
// to_dict/from_dict), so the handler on the other side logs and authorises as the original caller.
import { AsyncLocalStorage } from 'node:async_hooks';
import { newRequestId } from '../common/ids.ts';

export interface RequestContext {
  /** req-<uuid>, new for every API request. */
  readonly request_id: string;
  /** The request id of the whole operation when it spans services (X-OpenStack-Request-ID). */
  readonly global_request_id?: string;
  readonly user_id?: string;
  readonly project_id?: string;
  readonly user_domain_id?: string;
  readonly project_domain_id?: string;
  readonly roles: readonly string[];
  readonly is_admin: boolean;
  readonly auth_token?: string;
  readonly read_deleted?: 'no' | 'yes' | 'only';
  /** Anything else a caller wants to carry; must be plain JSON. */
  readonly [key: string]: unknown;
}

/** A fresh context (new request id) with the given fields; frozen. */
export function createContext(fields: Partial<RequestContext> = {}): RequestContext {
  return freezeContext({
    roles: [],
    is_admin: false,
    ...fields,
    request_id: fields.request_id ?? newRequestId(),
  });
}

/** A service's own admin context (periodic tasks, start-up work, internal calls). */
export function adminContext(): RequestContext {
  return createContext({ roles: ['admin'], is_admin: true });
}

/** Freezes a context and its roles list (what handlers receive). */
export function freezeContext(ctx: RequestContext): RequestContext {
  return Object.freeze({ ...ctx, roles: Object.freeze([...ctx.roles]) });
}

/**
 * The context of the RPC request being handled (oslo.context's per-thread current context): the
 * dispatcher runs each handler in its caller's context, so what the handler calls further down
 * (an image download with the user's token, say) can find it without threading it through.
 */
const current = new AsyncLocalStorage<RequestContext>();

export function currentContext(): RequestContext | undefined {
  return current.getStore();
}

export function runInContext<T>(ctx: RequestContext, fn: () => T): T {
  return current.run(ctx, fn);
}
