// Image service throughput: upload and download of one large image through `nova-ts image serve`
// (its own process, SQLite + file store in a temp dir, noauth2), against `cp` of the same file.
// Also: download through Nova's ImageClient with sha512 verification, and the service's peak RSS.
//   npx node scripts/bench-image.ts [--size-mib 1024] [--keep]
import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImageClient } from '../src/image-client/client.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const sizeMiB = Number(arg('--size-mib') ?? 1024);
const keep = process.argv.includes('--keep');
const dir = mkdtempSync(join(tmpdir(), 'novats-bench-image-'));
const TOKEN = 'admin:admin';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

function rssKiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function timed(label: string, cmd: string, args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${label}: ${cmd} exited ${r.status}: ${r.stdout}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const mbps = (bytes: number, s: number) => (bytes / 1048576 / s).toFixed(0);

async function main() {
  const file = join(dir, 'image.bin');
  console.log(`writing ${sizeMiB} MiB of random data to ${file} …`);
  spawnSync('head', ['-c', String(sizeMiB * 1048576), '/dev/urandom'], {
    stdio: ['ignore', openSync(file, 'w'), 'inherit'],
  });
  const bytes = statSync(file).size;
  spawnSync('sync');

  const port = await freePort();
  const conf = join(dir, 'nova.conf');
  writeFileSync(
    conf,
    `[DEFAULT]\nstate_path = ${dir}/state\n[api]\nauth_strategy = noauth2\n[image]\nlisten = 127.0.0.1\nport = ${port}\n`,
  );
  const svc = spawn(process.execPath, ['src/cmd/main.ts', 'image', 'serve', '--config-file', conf], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      break;
    await sleep(100);
  }
  let peak = 0;
  const baseline = rssKiB(svc.pid as number);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssKiB(svc.pid as number));
  }, 100);
  try {
    const cpS = timed('cp', 'cp', [file, join(dir, 'copy.bin')]);
    rmSync(join(dir, 'copy.bin'));
    const created = await fetch(`${url}/v2/images`, {
      method: 'POST',
      headers: { 'x-auth-token': TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', disk_format: 'raw', container_format: 'bare' }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    const fileUrl = `${url}/v2/images/${created.id}/file`;
    const auth = ['-sS', '-f', '-H', `x-auth-token: ${TOKEN}`];
    const upS = timed('upload', 'curl', [
      ...auth,
      '-H',
      'content-type: application/octet-stream',
      '-T',
      file,
      fileUrl,
    ]);
    const downS = timed('download', 'curl', [...auth, '-o', join(dir, 'down.bin'), fileUrl]);
    timed('cmp', 'cmp', [file, join(dir, 'down.bin')]); // throws when they differ
    rmSync(join(dir, 'down.bin'));
    const client = new ImageClient({ endpoints: [url], token: TOKEN });
    const t0 = process.hrtime.bigint();
    const dl = await client.download(created.id);
    await pipeline(dl.stream, createWriteStream(join(dir, 'client.bin')));
    const clientS = Number(process.hrtime.bigint() - t0) / 1e9;
    rmSync(join(dir, 'client.bin'));
    console.log(`\nimage of ${sizeMiB} MiB, ${process.versions.node}, ${new Date().toISOString()}`);
    console.log(`| step | seconds | MiB/s |\n|---|---|---|`);
    console.log(`| cp (same file, same disk) | ${cpS.toFixed(2)} | ${mbps(bytes, cpS)} |`);
    console.log(`| upload (curl PUT → md5+sha512 → file store) | ${upS.toFixed(2)} | ${mbps(bytes, upS)} |`);
    console.log(`| download (curl GET) | ${downS.toFixed(2)} | ${mbps(bytes, downS)} |`);
    console.log(
      `| download (ImageClient, sha512 verified, to file) | ${clientS.toFixed(2)} | ${mbps(bytes, clientS)} |`,
    );
    console.log('\nbytes identical after the round trip (cmp)');
    console.log(
      `service RSS: ${(baseline / 1024).toFixed(0)} MiB idle, ${(peak / 1024).toFixed(0)} MiB peak`,
    );
  } finally {
    clearInterval(sampler);
    svc.kill('SIGTERM');
    await new Promise((r) => svc.once('exit', r));
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
