// /v2.0/security-group-rules: create (checked as Neutron does, duplicates refused), list, show,
// delete. A rule belongs to its group's project.
import type { FastifyInstance } from 'fastify';
import { newUuid } from '../../common/ids.ts';
import { type AttrMap, any, OWNED, oneOf, parseBody, uuid } from '../attrs.ts';
import { authorize, callerOf, type NetCtx, targetOf } from '../context.ts';
import { badRequest, ruleExists, securityGroupNotFound, securityGroupRuleNotFound } from '../faults.ts';
import { checkQuota } from '../repo/quotas.ts';
import {
  deleteRule,
  findGroup,
  findRule,
  insertRule,
  listRules,
  type NewRule,
} from '../repo/security-groups.ts';
import { checkRule } from '../rule-checks.ts';
import { ruleView } from '../views.ts';
import { type IdParams, listBody, showFields } from './common.ts';
import { visibleGroup } from './security-groups.ts';

const ATTRS: AttrMap = Object.freeze({
  ...OWNED,
  name: { post: false, put: false },
  security_group_id: { post: true, put: false, validate: uuid() },
  direction: { post: true, put: false, validate: oneOf(['ingress', 'egress']) },
  ethertype: { post: true, put: false, validate: oneOf(['IPv4', 'IPv6']) },
  protocol: { post: true, put: false, validate: any },
  port_range_min: { post: true, put: false, validate: any },
  port_range_max: { post: true, put: false, validate: any },
  remote_ip_prefix: { post: true, put: false, validate: any },
  remote_group_id: { post: true, put: false, validate: uuid(true) },
  remote_address_group_id: {
    post: true,
    put: false,
    validate: (v) => {
      if (v !== null) throw badRequest('Address groups are not supported.');
      return v;
    },
  },
  normalized_cidr: { post: false, put: false },
});

const same = (a: NewRule, b: NewRule) =>
  a.direction === b.direction &&
  a.ethertype === b.ethertype &&
  a.protocol === b.protocol &&
  a.port_range_min === b.port_range_min &&
  a.port_range_max === b.port_range_max &&
  (a.remote_ip_prefix ?? '') === (b.remote_ip_prefix ?? '') &&
  (a.remote_group_id ?? '') === (b.remote_group_id ?? '');

export function registerRuleRoutes(app: FastifyInstance, ctx: NetCtx): void {
  app.post('/v2.0/security-group-rules', async (req, reply) => {
    const caller = callerOf(ctx, req);
    const body = parseBody(req.body, 'security_group_rule', ATTRS, 'post');
    if (body.security_group_id === undefined)
      throw badRequest("Failed to parse request. Required attribute 'security_group_id' not specified");
    if (body.direction === undefined)
      throw badRequest("Failed to parse request. Required attribute 'direction' not specified");
    const group = await visibleGroup(ctx, caller, body.security_group_id as string);
    authorize(ctx, caller, 'create_security_group_rule', targetOf(group.project_id));
    const shape = checkRule(body);
    if (body.remote_group_id) {
      const remote = await findGroup(ctx.db, body.remote_group_id as string);
      if (!remote || (!caller.admin && remote.project_id !== group.project_id))
        throw securityGroupNotFound(body.remote_group_id as string);
    }
    const rule: NewRule = {
      id: newUuid(),
      project_id: group.project_id,
      security_group_id: group.id,
      direction: body.direction as string,
      ...shape,
      remote_group_id: (body.remote_group_id as string | null | undefined) ?? null,
      description: (body.description as string) ?? '',
    };
    const dup = group.rules.find((r) => same(r, rule));
    if (dup) throw ruleExists(dup.id);
    await checkQuota(ctx.db, 'security_group_rule', group.project_id);
    await insertRule(ctx.db, rule, ctx.clock.now());
    return reply.code(201).send({ security_group_rule: ruleView((await findRule(ctx.db, rule.id))!) });
  });

  app.get('/v2.0/security-group-rules', async (req) => {
    const caller = callerOf(ctx, req);
    const all = await listRules(ctx.db, caller.admin ? undefined : caller.project);
    return listBody(req, 'security_group_rules', all.map(ruleView), securityGroupRuleNotFound);
  });

  app.get<IdParams>('/v2.0/security-group-rules/:id', async (req) => {
    const caller = callerOf(ctx, req);
    const r = await findRule(ctx.db, req.params.id);
    if (!r || (!caller.admin && r.project_id !== caller.project))
      throw securityGroupRuleNotFound(req.params.id);
    authorize(ctx, caller, 'get_security_group_rule', targetOf(r.project_id), () =>
      securityGroupRuleNotFound(r.id),
    );
    return { security_group_rule: showFields(req, ruleView(r)) };
  });

  app.delete<IdParams>('/v2.0/security-group-rules/:id', async (req, reply) => {
    const caller = callerOf(ctx, req);
    const r = await findRule(ctx.db, req.params.id);
    if (!r || (!caller.admin && r.project_id !== caller.project))
      throw securityGroupRuleNotFound(req.params.id);
    authorize(ctx, caller, 'delete_security_group_rule', targetOf(r.project_id), () =>
      securityGroupRuleNotFound(r.id),
    );
    await deleteRule(ctx.db, r.id);
    return reply.code(204).send();
  });
}
