// What upstream's os-instance_usage_audit_log reports: for the audit period most recently
// completed before a time ([DEFAULT] instance_usage_audit_period), which compute hosts ran the
// instance_usage_audit task (task_log of every cell), how many instances and errors.
import { Invalid } from '../faults/fault.ts';
import * as cellMappings from '../objects/cell-mapping.ts';
import * as services from '../objects/service.ts';
import type { TaskLog } from '../objects/task-log.ts';
import * as taskLog from '../objects/task-log.ts';
import { type CellServiceDeps, openCell } from './cell-services.ts';

const utc = (y: number, m: number, d: number, h = 0) => new Date(Date.UTC(y, m, d, h));

/** utils.last_completed_audit_period: unit hour|day|month|year with an optional '@offset'. */
export function lastCompletedAuditPeriod(unitSpec: string, before: Date): { begin: Date; end: Date } {
  const [unit, off] = unitSpec.split('@', 2);
  let offset = off === undefined ? 0 : Number.parseInt(off, 10);
  if (Number.isNaN(offset)) throw new Invalid(`Invalid audit period ${unitSpec}`);
  const y = before.getUTCFullYear();
  const mo = before.getUTCMonth();
  if (unit === 'month') {
    if (offset === 0) offset = 1;
    let end = utc(y, mo, offset);
    if (end >= before) end = utc(y, mo - 1, offset);
    return { begin: utc(end.getUTCFullYear(), end.getUTCMonth() - 1, offset), end };
  }
  if (unit === 'year') {
    if (offset === 0) offset = 1;
    const end0 = utc(y, offset - 1, 1);
    return end0 >= before
      ? { begin: utc(y - 2, offset - 1, 1), end: utc(y - 1, offset - 1, 1) }
      : { begin: utc(y - 1, offset - 1, 1), end: end0 };
  }
  if (unit === 'day') {
    let end = utc(y, mo, before.getUTCDate(), offset);
    if (end >= before) end = new Date(end.getTime() - 86_400_000);
    return { begin: new Date(end.getTime() - 86_400_000), end };
  }
  let end = new Date(before);
  end.setUTCMinutes(offset, 0, 0);
  if (end >= before) end = new Date(end.getTime() - 3_600_000);
  return { begin: new Date(end.getTime() - 3_600_000), end };
}

export interface AuditReport {
  readonly period_beginning: Date;
  readonly period_ending: Date;
  readonly num_hosts: number;
  readonly num_hosts_done: number;
  readonly num_hosts_running: number;
  readonly num_hosts_not_run: number;
  readonly hosts_not_run: readonly string[];
  readonly total_instances: number;
  readonly total_errors: number;
  readonly overall_status: string;
  readonly log: Readonly<
    Record<string, { state: string; instances: number; errors: number; message: string }>
  >;
}

export async function auditReport(d: CellServiceDeps, before: Date): Promise<AuditReport> {
  const { begin, end } = lastCompletedAuditPeriod(d.conf.DEFAULT.instance_usage_audit_period, before);
  const logs: TaskLog[] = [];
  const hosts = new Set<string>();
  for (const cell of await cellMappings.list(d.apiDb)) {
    const db = await openCell(d, cell);
    logs.push(...(await taskLog.listForPeriod(db, 'instance_usage_audit', begin, end)));
    for (const s of await services.list(db)) if (s.topic === 'compute') hosts.add(s.host);
  }
  const seen = new Set(logs.map((l) => l.host));
  const done = new Set(logs.filter((l) => l.state === 'DONE').map((l) => l.host));
  const running = new Set(logs.filter((l) => l.state === 'RUNNING').map((l) => l.host));
  const totalErrors = logs.reduce((n, l) => n + l.errors, 0);
  const missing = [...hosts].filter((h) => !seen.has(h));
  const doneText = done.size === hosts.size ? 'ALL' : `${done.size} of ${hosts.size}`;
  return {
    period_beginning: begin,
    period_ending: end,
    num_hosts: hosts.size,
    num_hosts_done: done.size,
    num_hosts_running: running.size,
    num_hosts_not_run: missing.length,
    hosts_not_run: missing,
    total_instances: logs.reduce((n, l) => n + l.task_items, 0),
    total_errors: totalErrors,
    overall_status: `${doneText} hosts done. ${totalErrors} errors.`,
    log: Object.fromEntries(
      logs.map((l) => [
        l.host,
        { state: l.state, instances: l.task_items, errors: l.errors, message: l.message },
      ]),
    ),
  };
}
