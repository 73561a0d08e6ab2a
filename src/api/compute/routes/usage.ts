// /os-simple-tenant-usage (list, show; 2.40 paging) and /os-instance_usage_audit_log (index, show by
// "before" timestamp) — upstream simple_tenant_usage.py, instance_usage_audit_log.py.
import { auditReport } from '../../../compute-api/audit-log.ts';
import { type ServerUsage, type TenantUsage, tenantUsages } from '../../../compute-api/tenant-usage.ts';
import { Invalid } from '../../../faults/fault.ts';
import { USAGE_POLICIES as P } from '../policies/usage.ts';
import { pageOf } from '../routing/pagination.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as S from '../schemas/usage.ts';
import { isoTime, pyDateTime } from '../views/time.ts';
import { cellDeps } from './infra.ts';

const DATE_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})([T ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?$/;

/** Python strptime with upstream's three formats (T without/with fraction, space with fraction). */
export function parseStrTime(text: string): Date | undefined {
  const m = DATE_RE.exec(text);
  if (!m || (m[4] === ' ' && m[8] === undefined)) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[5], m[6], m[7]].map(Number);
  const ms = m[8] === undefined ? 0 : Math.floor(Number(m[8].padEnd(6, '0')) / 1000);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  const ok = date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
  return ok ? date : undefined;
}

function firstParam(ctx: RouteContext, name: string): string | undefined {
  const v = ctx.query[name];
  return v && v.length > 0 ? v[0] : undefined;
}

function parseWindow(ctx: RouteContext): { start: Date; stop: Date } {
  const now = ctx.deps.clock.now();
  const read = (name: string) => {
    const raw = firstParam(ctx, name);
    if (!raw) return now;
    const d = parseStrTime(raw);
    if (!d) throw new Invalid('Invalid datetime string: Datetime is in invalid format');
    return d;
  };
  const start = read('start');
  const stop = read('end');
  // Both defaulted: upstream reads the clock twice (start a moment before stop), so no error.
  const defaulted = !firstParam(ctx, 'start') && !firstParam(ctx, 'end');
  if (!(start < stop) && !defaulted)
    throw new Invalid('Invalid start time. The start time cannot occur after the end time.');
  return { start, stop: stop > now ? now : stop };
}

function serverView(u: ServerUsage) {
  return {
    instance_id: u.instance_id,
    name: u.name,
    tenant_id: u.tenant_id,
    flavor: u.flavor,
    hours: u.hours,
    memory_mb: u.memory_mb,
    local_gb: u.local_gb,
    vcpus: u.vcpus,
    started_at: isoTime(u.started_at),
    ended_at: isoTime(u.ended_at),
    state: u.state,
    uptime: u.uptime,
  };
}

function tenantView(t: TenantUsage, detailed: boolean) {
  return {
    tenant_id: t.tenant_id,
    start: isoTime(t.start),
    stop: isoTime(t.stop),
    total_hours: t.total_hours,
    total_local_gb_usage: t.total_local_gb_usage,
    total_vcpus_usage: t.total_vcpus_usage,
    total_memory_mb_usage: t.total_memory_mb_usage,
    ...(detailed && { server_usages: t.server_usages.map(serverView) }),
  };
}

async function report(ctx: RouteContext, projectId?: string) {
  const { start, stop } = parseWindow(ctx);
  const paged = ctx.mv.atLeast('2.40');
  const page = paged ? pageOf(ctx) : { limit: ctx.deps.conf.api.max_limit };
  const r = await tenantUsages(cellDeps(ctx), {
    start,
    stop,
    now: ctx.deps.clock.now(),
    projectId,
    limit: page.limit,
    marker: page.marker,
  });
  const collection =
    projectId === undefined ? 'os-simple-tenant-usage' : `os-simple-tenant-usage/${projectId}`;
  const links = paged
    ? ctx.links.collection(
        collection,
        r.servers,
        () => r.servers[r.servers.length - 1].instance_id,
        page.limit,
      )
    : [];
  return { r, links };
}

async function index(ctx: RouteContext) {
  const detailed = firstParam(ctx, 'detailed') === '1';
  const { r, links } = await report(ctx);
  return {
    tenant_usages: r.tenants.map((t) => tenantView(t, detailed)),
    ...(links.length > 0 && { tenant_usages_links: links }),
  };
}

async function show(ctx: RouteContext) {
  const { r, links } = await report(ctx, ctx.params.id);
  return {
    tenant_usage: r.tenants.length > 0 ? tenantView(r.tenants[0], true) : {},
    ...(links.length > 0 && { tenant_usage_links: links }),
  };
}

const AUDIT_RE = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d{1,6})?$/;

async function audit(ctx: RouteContext, before: Date) {
  const r = await auditReport(cellDeps(ctx), before);
  return {
    ...r,
    period_beginning: pyDateTime(r.period_beginning),
    period_ending: pyDateTime(r.period_ending),
    hosts_not_run: [...r.hosts_not_run],
  };
}

export const USAGE_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/os-simple-tenant-usage',
    policy: P.usageList,
    query: S.usageIndexQuery,
    handler: index,
  },
  {
    method: 'GET',
    url: '/os-simple-tenant-usage/:id',
    policy: { rule: P.usageShow, target: (ctx) => ({ project_id: ctx.params.id }) },
    query: S.usageShowQuery,
    handler: show,
  },
  {
    method: 'GET',
    url: '/os-instance_usage_audit_log',
    policy: { rule: P.auditList, target: () => ({}) },
    query: S.auditQuery,
    handler: async (ctx) => ({ instance_usage_audit_logs: await audit(ctx, ctx.deps.clock.now()) }),
  },
  {
    method: 'GET',
    url: '/os-instance_usage_audit_log/:id',
    policy: { rule: P.auditShow, target: () => ({}) },
    query: S.auditQuery,
    handler: async (ctx) => {
      const id = ctx.params.id;
      const m = AUDIT_RE.exec(id);
      const before = m ? parseStrTime(id.replace(' ', 'T')) : undefined;
      if (!before) throw new Invalid(`Invalid timestamp for date ${id}`);
      return { instance_usage_audit_log: await audit(ctx, before) };
    },
  },
];
