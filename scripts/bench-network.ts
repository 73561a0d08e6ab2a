// Network service port creates: 1,000 ports at concurrency 16 on one network through
// `nova-ts network serve` (its own process, noauth2, SQLite in a temp dir unless --db names another
// database), checked for duplicate addresses and MACs, with the latency of each create.
//   npx node scripts/bench-network.ts [--ports 1000] [--concurrency 16] [--db URL] [--keep]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ports = Number(arg('--ports') ?? 1000);
const concurrency = Number(arg('--concurrency') ?? 16);
const db = arg('--db');
const keep = process.argv.includes('--keep');
const dir = mkdtempSync(join(tmpdir(), 'novats-bench-network-'));
const HEADERS = { 'x-auth-token': 'admin:admin', 'content-type': 'application/json' };

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  const port = await freePort();
  const conf = join(dir, 'network.conf');
  writeFileSync(
    conf,
    [
      '[DEFAULT]',
      `state_path = ${dir}`,
      '[api]',
      'auth_strategy = noauth2',
      '[network_service]',
      `port = ${port}`,
      ...(db ? ['[network_database]', `connection = ${db}`] : []),
      '',
    ].join('\n'),
  );
  const child = spawn(process.execPath, ['src/cmd/main.ts', 'network', 'serve', '--config-file', conf], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // The daemon's log (stderr) is shown only when something fails.
  let log = '';
  child.stderr?.on('data', (b: Buffer) => {
    log = (log + b.toString()).slice(-4000);
  });
  const base = `http://127.0.0.1:${port}/v2.0`;
  try {
    for (let i = 0; ; i++) {
      if (
        await fetch(`http://127.0.0.1:${port}/`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 100) throw new Error('the network service did not start');
      await sleep(100);
    }
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: HEADERS,
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, Record<string, unknown>>;
    };
    const net = (await post('/networks', { network: { name: 'bench' } })).network.id as string;
    // A /22: 1,021 addresses for the ports.
    await post('/subnets', { subnet: { network_id: net, ip_version: 4, cidr: '10.20.0.0/22' } });
    await fetch(`${base}/quotas/admin`, {
      method: 'PUT',
      headers: HEADERS,
      body: JSON.stringify({ quota: { port: -1 } }),
    });
    const latencies: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < ports) {
          next++;
          const s = performance.now();
          await post('/ports', { port: { network_id: net } });
          latencies.push(performance.now() - s);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const res = await fetch(`${base}/ports?network_id=${net}&fields=fixed_ips&fields=mac_address`, {
      headers: HEADERS,
    });
    const listed = (
      (await res.json()) as { ports: { fixed_ips: { ip_address: string }[]; mac_address: string }[] }
    ).ports;
    const ips = listed.flatMap((p) => p.fixed_ips.map((f) => f.ip_address));
    const macs = listed.map((p) => p.mac_address);
    latencies.sort((a, b) => a - b);
    console.log(`database: ${db ?? 'sqlite (temp file)'}`);
    console.log(
      `port creates: ${latencies.length} at concurrency ${concurrency} in ${seconds.toFixed(2)} s (${(latencies.length / seconds).toFixed(0)}/s)`,
    );
    console.log(
      `latency ms: p50 ${pct(latencies, 50).toFixed(1)}  p95 ${pct(latencies, 95).toFixed(1)}  p99 ${pct(latencies, 99).toFixed(1)}  max ${latencies[latencies.length - 1].toFixed(1)}`,
    );
    console.log(
      `ports listed: ${listed.length}; distinct addresses: ${new Set(ips).size} of ${ips.length}; distinct MACs: ${new Set(macs).size}`,
    );
    if (new Set(ips).size !== ips.length || listed.length !== ports) {
      console.error('FAILED: duplicate addresses or missing ports');
      process.exitCode = 1;
    }
  } catch (err) {
    console.error(log);
    throw err;
  } finally {
    child.kill('SIGTERM');
    if (!keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

await main();
