// What every network route needs, built once per app from the injected dependencies, and the
// caller as the routes see it (admin or not, project).
import type { FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth/types.ts';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { DbHandle } from '../db/connect.ts';
import type { NetworkDb } from '../db/tables/network-db.ts';
import type { Enforcer, PolicyTarget } from '../policy/types.ts';
import type { AgentRegistry } from './agents.ts';
import { badRequest, type NeutronFault, notAuthorized } from './faults.ts';
import type { NovaNotifier } from './nova-notifier.ts';

export type Db = DbHandle<NetworkDb>;

export interface NetCtx {
  readonly db: Db;
  readonly enforcer: Enforcer;
  readonly clock: Clock;
  readonly log: Logger;
  /** MTU of new networks. */
  readonly mtu: number;
  /** Nova, told when its instances' ports change; absent: nobody is told. */
  readonly nova?: NovaNotifier;
  /** The L2 agents (which hosts wire their ports and say when they did). */
  readonly agents: AgentRegistry;
}

export interface Caller {
  readonly auth: AuthContext;
  /** `context_is_admin` holds: sees and may touch every project's resources. */
  readonly admin: boolean;
  /** `service_api` holds (Nova): sees and binds every port. */
  readonly service: boolean;
  readonly project: string;
}

export function callerOf(ctx: NetCtx, req: FastifyRequest): Caller {
  const auth = req.auth;
  return Object.freeze({
    auth,
    admin: ctx.enforcer.enforce('context_is_admin', {}, auth),
    service: ctx.enforcer.enforce('service_api', {}, auth),
    project: auth.project_id ?? '',
  });
}

/**
 * Enforces `action` (create_network, update_port:binding:host_id, …). A caller refused who may
 * not even get the resource sees its 404 (Neutron hides what one cannot see), others a 403.
 */
export function authorize(
  ctx: NetCtx,
  caller: Caller,
  action: string,
  target: PolicyTarget,
  hidden?: () => NeutronFault,
): void {
  if (ctx.enforcer.enforce(action, target, caller.auth)) return;
  if (hidden) {
    const resource = action.split(':')[0].replace(/^(create|update|delete|get)_/, '');
    if (action.startsWith('get_') || !ctx.enforcer.enforce(`get_${resource}`, target, caller.auth))
      throw hidden();
  }
  throw notAuthorized(action);
}

/** The policy target of a resource: its owner under both names, plus extra keys. */
export const targetOf = (project: string, extra: Record<string, unknown> = {}): PolicyTarget =>
  Object.freeze({ project_id: project, tenant_id: project, ...extra });

/**
 * The project a create is for: the body's project_id/tenant_id (which must agree, and differ from
 * the caller's only for admins), else the caller's.
 */
export function owningProject(caller: Caller, body: Record<string, unknown>): string {
  const p = body.project_id as string | undefined;
  const t = body.tenant_id as string | undefined;
  if (p !== undefined && t !== undefined && p !== t)
    throw badRequest("'project_id' and 'tenant_id' do not match");
  const wanted = p ?? t ?? caller.project;
  if (wanted !== caller.project && !caller.admin)
    throw badRequest(
      "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin privileges",
    );
  return wanted;
}

/** Neutron's timestamp format: 2026-01-01T00:00:00Z. */
export const isoTime = (d: Date | string | null | undefined): string | null => {
  if (d === null || d === undefined) return null;
  const t =
    typeof d === 'string' ? new Date(`${d.replace(' ', 'T')}${/Z|[+-]\d\d:?\d\d$/.test(d) ? '' : 'Z'}`) : d;
  return `${t.toISOString().slice(0, 19)}Z`;
};

/** The URL of a collection as the client reached it (for pagination links). */
export function collectionUrl(req: FastifyRequest): string {
  const host = req.headers.host ?? 'localhost';
  return `${req.protocol}://${host}${req.url.split('?')[0]}`;
}
