// POST …/action routes: the body names one action ({"addTenantAccess": {…}}); each action declares
// its own microversion range, policy, schema and handler, as upstream's @wsgi.action methods.
import { Invalid } from '../../../faults/fault.ts';
import { ResourceNotFound } from '../faults/faults.ts';
import type { JsonSchema } from '../validation/validator.ts';
import { type ByVersion, pickVersion, type RouteContext, type RouteDef } from './route.ts';

export interface ActionDef {
  readonly minVersion?: string;
  readonly maxVersion?: string;
  readonly body?: ByVersion<JsonSchema>;
  /** Checked before the handler with the default target, unless the handler checks itself. */
  readonly policy?: string;
  readonly status?: number;
  readonly handler: (ctx: RouteContext) => Promise<unknown>;
}

/** The one key of an action body (upstream's action_peek). */
export function actionName(body: unknown): string {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new Invalid('Malformed request body');
  const keys = Object.keys(body);
  if (keys.length !== 1) throw new Invalid('Malformed request body');
  return keys[0];
}

export interface ActionRouteOptions {
  readonly url: string;
  readonly actions: Readonly<Record<string, ActionDef>>;
  /** The rules the actions check (documentation of the route). */
  readonly rules: readonly string[];
}

/** One POST route dispatching on the action named in the body. */
export function actionRoute(opts: ActionRouteOptions): RouteDef {
  return {
    method: 'POST',
    url: opts.url,
    policy: { inHandler: opts.rules },
    async handler(ctx) {
      const name = actionName(ctx.body);
      const action = Object.hasOwn(opts.actions, name) ? opts.actions[name] : undefined;
      if (!action) throw new Invalid(`There is no such action: ${name}`);
      if (!ctx.mv.between(action.minVersion, action.maxVersion)) throw new ResourceNotFound();
      const schema = pickVersion(action.body, ctx.mv);
      if (schema) ctx.checkBody(schema);
      if (action.policy) ctx.authorize(action.policy);
      const result = await action.handler(ctx);
      if (action.status) ctx.reply.status(action.status);
      return result;
    },
  };
}
