// Reads Tempest's results (subunit2csv: test,status,start_time,stop_time) into per-module counts.

export interface ModuleResult {
  readonly module: string;
  pass: number;
  fail: number;
  skip: number;
}

export interface Results {
  readonly modules: readonly ModuleResult[];
  readonly failures: readonly string[];
  readonly totals: { pass: number; fail: number; skip: number };
}

/** `tempest.api.compute.servers.test_x.TestY.test_z[id-…,smoke]` → `tempest.api.compute.servers.test_x`. */
export function moduleOf(test: string): string {
  const name = test.replace(/\[.*$/, '');
  const parts = name.split('.');
  const idx = parts.findIndex((p) => p.startsWith('test_'));
  return idx >= 0 ? parts.slice(0, idx + 1).join('.') : parts.slice(0, -2).join('.');
}

/** One CSV record (RFC 4180 quoting: test names like `x[id-…,negative]` are quoted). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}

export function parseSubunitCsv(csv: string): Results {
  const byModule = new Map<string, ModuleResult>();
  const failures: string[] = [];
  const totals = { pass: 0, fail: 0, skip: 0 };
  for (const line of csv.split('\n').slice(1)) {
    if (!line.trim()) continue;
    const [test, status] = csvFields(line);
    // setUpClass failures are reported against the class: count them as failures of that module.
    const mod = moduleOf(test.replace(/^setUpClass \((.*)\)$/, '$1.x'));
    const m = byModule.get(mod) ?? { module: mod, pass: 0, fail: 0, skip: 0 };
    byModule.set(mod, m);
    if (status === 'success') {
      m.pass++;
      totals.pass++;
    } else if (status === 'skip') {
      m.skip++;
      totals.skip++;
    } else if (status === 'failure' || status === 'fail' || status === 'uxsuccess') {
      m.fail++;
      totals.fail++;
      failures.push(test);
    }
  }
  const modules = [...byModule.values()].sort((a, b) => a.module.localeCompare(b.module));
  return { modules, failures, totals };
}

export function formatResults(r: Results): string {
  const width = Math.max(20, ...r.modules.map((m) => m.module.length));
  const lines = [`${'module'.padEnd(width)}  pass  fail  skip`];
  for (const m of r.modules) {
    lines.push(
      `${m.module.padEnd(width)}  ${String(m.pass).padStart(4)}  ${String(m.fail).padStart(4)}  ${String(m.skip).padStart(4)}`,
    );
  }
  const t = r.totals;
  lines.push(
    `${'TOTAL'.padEnd(width)}  ${String(t.pass).padStart(4)}  ${String(t.fail).padStart(4)}  ${String(t.skip).padStart(4)}`,
  );
  if (r.failures.length > 0) lines.push('', 'failures:', ...r.failures.map((f) => `  ${f}`));
  return lines.join('\n');
}
