// QEMU driver benchmark (npm run bench:qemu): a throwaway all-in-one started in this process on free
// loopback ports with compute_driver = qemu (TCG) and a temp state path.
//  1. POST /servers (m1.nano, nova-ts-tiny) → the tiny guest's banner in os-getConsoleOutput
//     (polled every 100 ms), N sequential runs (each server deleted before the next), against the
//     same kernel + initrd booted with a plain qemu command line (banner in its serial file, polled
//     every 100 ms). Runs alternate (nova, plain, nova, plain, …) so background load hits both.
//  2. One POST with min_count = max_count = G: until all ACTIVE and until all G banners; then the
//     delete of all, no qemu-system of them left, placement usage back to 0.
// Writes the figures under "## Benchmark" in docs/qemu.md (--no-docs: print only). Every process
// whose command line names the temp dir is killed at the end, whatever happened.
//   npm run bench:qemu -- [--runs 5] [--guests 10] [--no-docs] [--keep]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { type AllInOne, startAllInOne } from '../src/all-in-one/cloud.ts';
import { issueToken } from '../src/all-in-one/first-start.ts';
import { prepareStateDir } from '../src/all-in-one/state-dir.ts';
import { createLogger } from '../src/common/log.ts';
import { loadConfig } from '../src/config/index.ts';
import { allInOnePortsConf } from '../test/functional/free-ports.ts';
import {
  BANNER,
  cachedBootFiles,
  cpuSeconds,
  figures,
  fmt,
  killAllMentioning,
  machine,
  plainBoot,
  processStart,
  QEMU,
  qemuPids,
  seconds,
  uptime,
  writeDocSection,
} from './bench-qemu-support.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    guests: { type: 'string', default: '10' },
    'no-docs': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const GUESTS = Number(values.guests);
const BOOT_TIMEOUT_MS = 300_000;
const POLL_MS = 100;
if (!QEMU) throw new Error('qemu-system-x86_64 is not installed (Debian qemu-system-x86)');

interface Answer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: API JSON
  readonly body: any;
}

const dir = mkdtempSync(join(tmpdir(), 'novats-bench-qemu-'));
const state = join(dir, 'state');
const logFile = join(state, 'log', 'nova-ts.log');
const machineLine = machine();
const benchDate = new Date();
let aio: AllInOne | undefined;
let failed = false;
const notes: string[] = [];

async function cleanup(): Promise<void> {
  // The guests are daemonized (they outlive the compute): stop the cloud (30 s at most), then kill
  // whatever still names the temp dir.
  if (aio)
    await Promise.race([
      aio.stop().catch((err: unknown) => console.error('all-in-one stop failed:', err)),
      sleep(30_000, undefined, { ref: false }).then(() => console.error('all-in-one stop took over 30 s')),
    ]);
  aio = undefined;
  const killed = await killAllMentioning(dir);
  if (killed.length > 0) console.log(`killed stray processes of ${dir}: ${killed.join(' ')}`);
  if (failed || values.keep) console.log(`state kept in ${state} (log ${logFile})`);
  else rmSync(dir, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.once(sig, () => {
    failed = true;
    void cleanup().finally(() => process.exit(130));
  });

try {
  await main();
} catch (err) {
  failed = true;
  console.error(`bench:qemu failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  console.error(`see ${logFile}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}

async function main(): Promise<void> {
  const { confPath } = prepareStateDir(state);
  const extra = join(dir, 'extra.conf');
  writeFileSync(
    extra,
    [
      await allInOnePortsConf('bench-qemu'),
      '[DEFAULT]',
      'compute_driver = qemu',
      // 2 host cores × the default 4.0 make 8 VCPUs; the burst needs 10.
      'cpu_allocation_ratio = 16.0',
      '[libvirt]',
      // TCG either way on these machines (KVM hangs); this skips the 5 s KVM probe.
      'virt_type = qemu',
      '[quota]',
      'instances = -1',
      'cores = -1',
      'ram = -1',
      '',
    ].join('\n'),
  );
  const loaded = loadConfig({
    configFiles: [confPath, extra],
    env: {},
    overrides: [{ group: 'DEFAULT', name: 'state_path', value: state }],
  });
  const log = createLogger({ name: 'nova-ts', file: logFile, level: 'debug' });
  const t0 = performance.now();
  aio = await startAllInOne({
    conf: loaded.conf,
    log,
    statePath: state,
    version: '0.0.0-bench',
    configFiles: loaded.files,
  });
  console.log(`all-in-one (qemu driver, TCG) up in ${fmt(seconds(t0))}; state ${state}`);
  const ep = (p: string) => aio?.roles.find((r) => r.role.startsWith(p))?.endpoint ?? '';
  const compute = ep('nova-api');
  const placement = ep('placement');
  const image = ep('image').replace(/\/v2$/, '');
  const cred = aio.firstStart.credentials;
  if (!cred) throw new Error('no bootstrap credentials');
  const token = await issueToken(
    ep('identity').replace(/\/v3$/, ''),
    cred.username,
    cred.password,
    cred.projectName,
  );
  const req = async (url: string, method: string, body?: unknown, mv?: string): Promise<Answer> => {
    const res = await fetch(url, {
      method,
      headers: {
        'x-auth-token': token,
        ...(mv ? { 'openstack-api-version': mv } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    return { status: res.status, body: parsed };
  };
  const api = (method: string, path: string, body?: unknown) =>
    req(`${compute}${path}`, method, body, 'compute 2.90');

  const images = await req(`${image}/v2/images?name=nova-ts-tiny`, 'GET');
  const tiny = images.body?.images?.[0];
  if (tiny?.disk_format !== 'ami')
    throw new Error(`nova-ts-tiny is not the bootable tiny guest: ${JSON.stringify(tiny)}`);
  const cacheDir = join(loaded.conf.DEFAULT.instances_path, loaded.conf.image_cache.subdirectory_name);

  /** The banner in os-getConsoleOutput (false while the console is not there yet). */
  const bannerShown = async (id: string): Promise<boolean> => {
    const c = await api('POST', `/servers/${id}/action`, { 'os-getConsoleOutput': {} });
    return c.status === 200 && BANNER.test(String(c.body?.output ?? ''));
  };
  const faultOf = (s: { id: string; fault?: unknown }) =>
    `server ${s.id} went to ERROR: ${JSON.stringify(s.fault ?? null)}`;

  /** One boot through the API: seconds to ACTIVE, to the guest's qemu-system starting, to the banner. */
  const novaBoot = async (
    name: string,
  ): Promise<{
    id: string;
    active: number;
    started: number;
    banner: number;
    guestCpu: number;
    ownCpu: number;
  }> => {
    const t = performance.now();
    const up0 = uptime();
    const own0 = process.cpuUsage();
    const r = await api('POST', '/servers', {
      server: { name, flavorRef: '42', imageRef: tiny.id, networks: 'none' },
    });
    if (r.status !== 202) throw new Error(`POST /servers: ${r.status} ${JSON.stringify(r.body)}`);
    const id: string = r.body.server.id;
    let active: number | null = null;
    for (;;) {
      if (active === null) {
        const s = await api('GET', `/servers/${id}`);
        if (s.body?.server?.status === 'ERROR') throw new Error(faultOf(s.body.server));
        if (s.body?.server?.status === 'ACTIVE') active = seconds(t);
      }
      if (await bannerShown(id)) {
        const banner = seconds(t);
        const pid = qemuPids(id)[0];
        const own = process.cpuUsage(own0);
        const at = pid === undefined ? undefined : processStart(pid);
        const guestCpu = pid === undefined ? undefined : cpuSeconds(pid);
        if (at === undefined || guestCpu === undefined)
          throw new Error(`server ${id}: banner shown but no qemu-system of it runs`);
        const ownCpu = (own.user + own.system) / 1e6;
        return { id, active: active ?? banner, started: at - up0, banner, guestCpu, ownCpu };
      }
      if (performance.now() - t > BOOT_TIMEOUT_MS) throw new Error(`server ${id}: no banner in time`);
      await sleep(POLL_MS);
    }
  };

  /** DELETE and wait for 404; seconds, and the qemu-system pids of it still alive afterwards. */
  const deleteServer = async (id: string): Promise<{ time: number; stray: number[] }> => {
    const t = performance.now();
    const d = await api('DELETE', `/servers/${id}`);
    if (d.status !== 204) throw new Error(`DELETE /servers/${id}: ${d.status} ${JSON.stringify(d.body)}`);
    for (;;) {
      const s = await api('GET', `/servers/${id}`);
      if (s.status === 404) break;
      if (performance.now() - t > 120_000) throw new Error(`server ${id} not gone 120 s after DELETE`);
      await sleep(POLL_MS);
    }
    return { time: seconds(t), stray: qemuPids(id) };
  };

  // ---- 1. one guest: API vs plain qemu -----------------------------------------------------------
  const nova: {
    active: number;
    started: number;
    banner: number;
    del: number;
    guestCpu: number;
    ownCpu: number;
  }[] = [];
  const plain: number[] = [];
  const plainCpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const b = await novaBoot(`bench-single-${i + 1}`);
    const d = await deleteServer(b.id);
    if (d.stray.length > 0) notes.push(`run ${i + 1}: qemu-system still running after delete: ${d.stray}`);
    nova.push({ ...b, del: d.time });
    const { kernel, initrd } = cachedBootFiles(cacheDir);
    const p = await plainBoot(kernel, initrd, join(dir, `plain-${i + 1}.serial`), BOOT_TIMEOUT_MS);
    plain.push(p.banner);
    plainCpu.push(p.cpu);
    console.log(
      `run ${i + 1}/${RUNS}: API → banner ${fmt(b.banner)} (qemu started ${fmt(b.started)}, ACTIVE ${fmt(b.active)}, delete ${fmt(d.time)}); plain qemu → banner ${fmt(plain[i])}`,
    );
  }

  // ---- 2. G guests at once ---------------------------------------------------------------------
  const t = performance.now();
  const burstUp0 = uptime();
  const r = await api('POST', '/servers', {
    server: {
      name: 'bench-burst',
      flavorRef: '42',
      imageRef: tiny.id,
      networks: 'none',
      min_count: GUESTS,
      max_count: GUESTS,
    },
  });
  if (r.status !== 202)
    throw new Error(`POST /servers min_count=${GUESTS}: ${r.status} ${JSON.stringify(r.body)}`);
  const posted = seconds(t);
  const activeAt = new Map<string, number>();
  const bannerAt = new Map<string, number>();
  let ids: string[] = [];
  while (bannerAt.size < GUESTS || activeAt.size < GUESTS) {
    const list = await api('GET', '/servers/detail');
    const servers: { id: string; status: string; fault?: unknown }[] = list.body?.servers ?? [];
    ids = servers.map((s) => s.id);
    for (const s of servers) {
      if (s.status === 'ERROR') throw new Error(faultOf(s));
      if (s.status === 'ACTIVE' && !activeAt.has(s.id)) activeAt.set(s.id, seconds(t));
    }
    const pending = ids.filter((id) => !bannerAt.has(id));
    const shown = await Promise.all(pending.map((id) => bannerShown(id)));
    pending.forEach((id, k) => {
      if (shown[k]) bannerAt.set(id, seconds(t));
    });
    if (performance.now() - t > BOOT_TIMEOUT_MS * 2)
      throw new Error(`burst: ${activeAt.size} ACTIVE, ${bannerAt.size} banners of ${GUESTS} in time`);
    await sleep(POLL_MS);
  }
  const activeFig = figures([...activeAt.values()]);
  const bannerFig = figures([...bannerAt.values()]);
  const startFig = figures(
    ids.map((id) => {
      const pid = qemuPids(id)[0];
      const at = pid === undefined ? undefined : processStart(pid);
      if (at === undefined) throw new Error(`server ${id}: banner shown but no qemu-system of it runs`);
      return at - burstUp0;
    }),
  );
  const allActive = activeFig.max;
  const allBanners = bannerFig.max;
  const running = qemuPids(state).length;
  console.log(
    `${GUESTS} guests (one POST, min_count=${GUESTS}): accepted in ${fmt(posted)}, all ACTIVE ${fmt(allActive)}, all banners ${fmt(allBanners)} (${running} qemu-system running)`,
  );

  const td = performance.now();
  const dels = await Promise.all(ids.map((id) => api('DELETE', `/servers/${id}`)));
  const bad = dels.filter((d) => d.status !== 204);
  if (bad.length > 0) throw new Error(`DELETE: ${bad.map((d) => d.status).join(' ')}`);
  for (;;) {
    const list = await api('GET', '/servers');
    if ((list.body?.servers ?? []).length === 0) break;
    if (performance.now() - td > 180_000) throw new Error('burst: servers not gone 180 s after DELETE');
    await sleep(POLL_MS);
  }
  const deleted = seconds(td);
  const stray = qemuPids(state);
  if (stray.length > 0) notes.push(`after the burst delete, qemu-system still running: ${stray.join(' ')}`);
  const usage = await placementUsage(req, placement);
  console.log(
    `delete of all ${GUESTS}: ${fmt(deleted)}; stray qemu-system pids: ${stray.length ? stray.join(' ') : 'none'}; placement usage: ${usage}`,
  );

  // ---- report ----------------------------------------------------------------------------------
  const nb = figures(nova.map((x) => x.banner));
  const na = figures(nova.map((x) => x.active));
  const ns = figures(nova.map((x) => x.started));
  const ng = figures(nova.map((x) => x.banner - x.started));
  const nd = figures(nova.map((x) => x.del));
  const pb = figures(plain);
  const ratio = nb.median / pb.median;
  const row = (what: string, f: { median: number; min: number; max: number }, n: number) =>
    `| ${what} | ${n} | ${fmt(f.median)} | ${fmt(f.min)} | ${fmt(f.max)} |`;
  const table = [
    '| measured | runs | median | min | max |',
    '|---|---|---|---|---|',
    row('POST /servers → banner in os-getConsoleOutput', nb, RUNS),
    row('POST /servers → ACTIVE', na, RUNS),
    row("POST /servers → the guest's qemu-system process started", ns, RUNS),
    row('that qemu-system started → banner (driver command line)', ng, RUNS),
    row('plain qemu command line → banner in serial file', pb, RUNS),
    row(
      "CPU used by the guest's qemu-system up to the banner, API boot",
      figures(nova.map((x) => x.guestCpu)),
      RUNS,
    ),
    row('CPU used by qemu-system up to the banner, plain boot', figures(plainCpu), RUNS),
    row(
      'CPU used by the all-in-one + bench process, POST → banner',
      figures(nova.map((x) => x.ownCpu)),
      RUNS,
    ),
    row('DELETE → 404 (one guest)', nd, RUNS),
    row(
      `${GUESTS} at once (one POST, min_count=${GUESTS}): → ACTIVE, per guest (max = all ACTIVE)`,
      activeFig,
      GUESTS,
    ),
    row(`${GUESTS} at once: → the guest's qemu-system process started, per guest`, startFig, GUESTS),
    row(`${GUESTS} at once: → banner, per guest (max = all ${GUESTS} banners)`, bannerFig, GUESTS),
    `| ${GUESTS} at once: DELETE of all → none listed | 1 | ${fmt(deleted)} | | |`,
  ];
  const verdict = `API boot / plain boot (medians): **${ratio.toFixed(2)}×** (goal ≤ 1.2×: ${ratio <= 1.2 ? 'met' : 'not met'})`;
  const paired = figures(nova.map((x, i) => x.banner / plain[i]));
  const perRun = [
    `Per run, API → banner: ${nova.map((x) => x.banner.toFixed(2)).join(', ')} s (run 1 with a cold image cache);`,
    `plain: ${plain.map((x) => x.toFixed(2)).join(', ')} s; API/plain per run (each API boot over the plain`,
    `boot right after it): median ${paired.median.toFixed(2)}×, min ${paired.min.toFixed(2)}×, max ${paired.max.toFixed(2)}×.`,
    `Load average at the end (1/5/15 min, the bench's own guests included): ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}.`,
  ].join('\n');
  const after = `After deleting the ${GUESTS}: stray qemu-system processes ${stray.length ? stray.join(' ') : 'none'}; placement usage ${usage}.`;
  console.log(`\n${table.join('\n')}\n\n${verdict}\n${perRun}\n${after}`);
  for (const n of notes) console.log(`NOTE: ${n}`);
  if (values['no-docs']) return;
  writeDocSection(
    join(import.meta.dirname, '..', 'docs', 'qemu.md'),
    [
      '## Benchmark',
      '',
      `\`npm run bench:qemu\` (scripts/bench-qemu.ts), ${benchDate.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machineLine}.`,
      '',
      'A throwaway all-in-one in the bench process (free loopback ports, temp state path,',
      '`compute_driver = qemu`, `[libvirt] virt_type = qemu`, `cpu_allocation_ratio = 16` so ten',
      '1-VCPU guests fit on 2 cores), flavor m1.nano (128 MiB, 1 VCPU), image `nova-ts-tiny` (the',
      'tiny AMI guest: kernel + busybox initramfs, no network). Times run from the POST to the first',
      'poll (every 100 ms) whose `os-getConsoleOutput` holds `nova-ts tiny guest … booted`. The',
      'reference boots the same kernel and initrd from the image cache with',
      '`qemu-system-x86_64 -accel tcg -m 128 -nodefaults -display none -serial file:… -kernel … -initrd … -append console=ttyS0`',
      'and polls its serial file every 100 ms. Single runs alternate API and plain boots; each server',
      `is deleted before the next. The burst is one POST with \`min_count = max_count = ${GUESTS}\`.`,
      'The 2 cores are shared with other work, so wall times are noisy; the CPU rows (utime + stime',
      'from /proc when the banner is seen; for the API boot only the daemonized QEMU) show the work',
      "itself, and the qemu-system start time (from /proc) splits the API boot into nova-ts's part",
      "and the guest's.",
      '',
      ...table,
      '',
      verdict + '.',
      perRun,
      after,
      ...notes.map((n) => `Note: ${n}`),
      '',
    ].join('\n'),
  );
  console.log('figures written to docs/qemu.md (## Benchmark)');
}

/** Usage summed over every resource provider, as "VCPU=0 MEMORY_MB=0 DISK_GB=0" (waits up to 30 s for 0). */
async function placementUsage(
  req: (url: string, method: string, body?: unknown, mv?: string) => Promise<Answer>,
  placement: string,
): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rps = await req(`${placement}/resource_providers`, 'GET', undefined, 'placement 1.28');
    const sum: Record<string, number> = {};
    for (const rp of rps.body?.resource_providers ?? []) {
      const u = await req(
        `${placement}/resource_providers/${rp.uuid}/usages`,
        'GET',
        undefined,
        'placement 1.28',
      );
      for (const [k, v] of Object.entries((u.body?.usages ?? {}) as Record<string, number>))
        sum[k] = (sum[k] ?? 0) + v;
    }
    const zero = Object.values(sum).every((v) => v === 0);
    const text = Object.entries(sum)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    if (zero || Date.now() > deadline) {
      if (!zero) notes.push(`placement usage not back to 0 after 30 s: ${text}`);
      return text || '(no providers)';
    }
    await sleep(500);
  }
}
