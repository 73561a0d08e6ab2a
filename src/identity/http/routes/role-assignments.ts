// GET /v3/role_assignments with Keystone's filters: user.id, group.id, role.id, scope.project.id,
// scope.domain.id, scope.system, effective (group grants expanded to members, implied roles added),
// include_names, include_subtree (with scope.project.id).
import type { FastifyInstance } from 'fastify';
import { invalid } from '../../errors.ts';
import { type Assignment, list as listAssignments, SYSTEM_TARGET } from '../../store/assignments.ts';
import * as groups from '../../store/groups.ts';
import * as projects from '../../store/projects.ts';
import * as roles from '../../store/roles.ts';
import { authorize, queryBool, queryOf, queryStr, type RouteCtx } from '../context.ts';
import { collection } from '../views/links.ts';
import { type Row, rowView } from '../views/role-assignment.ts';

interface Filters {
  readonly user?: string;
  readonly group?: string;
  readonly role?: string;
  readonly project?: string;
  readonly domain?: string;
  readonly system: boolean;
  readonly effective: boolean;
  readonly names: boolean;
  readonly subtree: boolean;
}

function filtersOf(q: unknown): Filters {
  const flag = (k: string) => {
    const v = queryStr(q, k);
    return v !== undefined && (v === '' || queryBool(v) === true);
  };
  const f: Filters = {
    user: queryStr(q, 'user.id'),
    group: queryStr(q, 'group.id'),
    role: queryStr(q, 'role.id'),
    project: queryStr(q, 'scope.project.id'),
    domain: queryStr(q, 'scope.domain.id'),
    system: queryStr(q, 'scope.system') !== undefined,
    effective: flag('effective'),
    names: flag('include_names'),
    subtree: flag('include_subtree'),
  };
  if (f.user && f.group) throw invalid('Specify a user or group, not both');
  if ([f.project, f.domain, f.system || undefined].filter(Boolean).length > 1)
    throw invalid('Specify one of domain, project or system');
  if (f.effective && f.group)
    throw invalid('Combining effective and group filter will always result in an empty list.');
  if (f.subtree && !f.project)
    throw invalid('scope.project.id must be specified if include_subtree is also specified');
  return f;
}

export function roleAssignmentRoutes(app: FastifyInstance, ctx: RouteCtx): void {
  const db = ctx.svc.core.db;

  async function rawRows(f: Filters): Promise<readonly Assignment[]> {
    let targetIds: string[] | undefined;
    if (f.project)
      targetIds = [f.project, ...(f.subtree ? (await projects.subtree(db, f.project)).map((p) => p.id) : [])];
    else if (f.domain) targetIds = [f.domain];
    else if (f.system) targetIds = [SYSTEM_TARGET];
    let actorIds: string[] | undefined;
    if (f.user) actorIds = f.effective ? [f.user, ...(await groups.groupIdsOfUser(db, f.user))] : [f.user];
    else if (f.group) actorIds = [f.group];
    const rows = await listAssignments(db, {
      actor: f.group ? 'group' : f.user && !f.effective ? 'user' : undefined,
      actor_ids: actorIds,
      target: f.system ? 'system' : f.project ? 'project' : f.domain ? 'domain' : undefined,
      target_ids: targetIds,
      inherited: false,
    });
    return rows;
  }

  /** Group grants → one row per member; implied roles → extra rows pointing at their prior role. */
  async function effectiveRows(rows: readonly Assignment[], f: Filters): Promise<Row[]> {
    const out: Row[] = [];
    for (const a of rows) {
      if (a.actor === 'group') {
        const members = await groups.memberIds(db, a.actor_id);
        for (const u of members)
          if (!f.user || u === f.user) out.push({ ...a, actor: 'user', actor_id: u, via_group: a.actor_id });
      } else out.push({ ...a });
    }
    const rules = await roles.impliedRules(db);
    const expanded: Row[] = [];
    for (const r of out) {
      expanded.push(r);
      for (const implied of roles.expandImplied([r.role_id], rules))
        if (implied !== r.role_id) expanded.push({ ...r, role_id: implied, prior_role_id: r.role_id });
    }
    return expanded;
  }

  app.get('/v3/role_assignments', async (req) => {
    const f = filtersOf(req.query);
    const a = req.auth;
    if (f.subtree)
      authorize(ctx, req, 'list_role_assignments_for_tree', {
        target: { project: await projects.get(db, f.project!) },
      });
    else authorize(ctx, req, 'list_role_assignments', { target: { domain_id: f.domain ?? a.domain_id } });
    const raw = await rawRows(f);
    let rows: Row[] = f.effective ? await effectiveRows(raw, f) : raw.map((x) => ({ ...x }));
    if (f.role) rows = rows.filter((r) => r.role_id === f.role);
    const base = ctx.base(req);
    const views = await Promise.all(rows.map((r) => rowView(db, base, r, f.names)));
    return collection(base, 'role_assignments', 'role_assignments', views, queryOf(req));
  });
}
