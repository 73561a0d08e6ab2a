// Starting and finding QEMU processes. Guests are started daemonized, so they keep running when
// nova-compute stops or is killed; the pid file and the QMP socket in the instance directory are
// how a compute (the same or a restarted one) finds its guest again.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GuestPaths } from './guest-record.ts';
import { QmpClient } from './qmp.ts';

/** QEMU refused to start the guest; the message is QEMU's own first error line. */
export class QemuStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QemuStartError';
  }
}

const QEMU_CANDIDATES = ['/usr/bin/qemu-system-x86_64', '/usr/local/bin/qemu-system-x86_64'];

/** The qemu-system-x86_64 binary, or undefined when QEMU is not installed. */
export function findQemu(): string | undefined {
  return QEMU_CANDIDATES.find((p) => existsSync(p));
}

/** Starts QEMU (which daemonizes once the guest is set up) and connects to its QMP socket. */
export async function launchQemu(qemu: string, args: readonly string[], p: GuestPaths): Promise<QmpClient> {
  await rm(p.qmp, { force: true });
  await new Promise<void>((resolve, reject) => {
    execFile(qemu, [...args], { timeout: 60_000, maxBuffer: 1 << 20 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const lines = String(stderr)
        .split('\n')
        .map((l) => l.replace(/^qemu-system-x86_64: /, '').trim())
        .filter((l) => l !== '' && !/^warning:/.test(l));
      reject(new QemuStartError(`QEMU failed to start the guest: ${lines[0] ?? err.message}`));
    });
  });
  return QmpClient.connect(p.qmp);
}

/** The pid of the guest's QEMU when it runs (pid file present and the process a QEMU of this guest). */
export function runningPid(p: GuestPaths, uuid: string): number | undefined {
  if (!existsSync(p.pid)) return undefined;
  const pid = Number(readFileSync(p.pid, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(uuid) && cmdline.includes('qemu') ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

/** Waits until pid is gone; true if it went within timeoutMs (an aborted signal stops waiting). */
export async function waitExit(pid: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !signal?.aborted) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  return !isAlive(pid);
}

/** Kills the guest's QEMU (SIGTERM, then SIGKILL) and removes its socket and pid file. */
export async function killQemu(p: GuestPaths, uuid: string): Promise<void> {
  const pid = runningPid(p, uuid);
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {}
    if (!(await waitExit(pid, 5000))) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
      await waitExit(pid, 5000);
    }
  }
  await rm(p.qmp, { force: true });
  await rm(p.pid, { force: true });
}

/** QEMU's version as upstream's hypervisor_version number (7.2.22 → 7002022); 0 when unknown. */
export async function qemuVersion(qemu: string): Promise<number> {
  const out = await new Promise<string>((resolve) =>
    execFile(qemu, ['--version'], (_e, stdout) => resolve(String(stdout))),
  );
  const m = /version (\d+)\.(\d+)\.(\d+)/.exec(out);
  return m ? Number(m[1]) * 1_000_000 + Number(m[2]) * 1000 + Number(m[3]) : 0;
}
