// Helpers of the QEMU driver tests: whether real guests can run here, the QEMU process of a server
// (found by its -uuid in /proc), and waiting for lines on a server's serial console.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MoveCloud } from '../moves/cloud.ts';

const QEMU = ['/usr/bin/qemu-system-x86_64', '/usr/local/bin/qemu-system-x86_64'].find(existsSync);
const KERNEL = existsSync('/boot') && readdirSync('/boot').some((f) => /^vmlinuz-.*cloud-amd64$/.test(f));

/** Why the QEMU tests cannot run here, or false. */
export const qemuSkip: string | false =
  QEMU && KERNEL && existsSync('/bin/busybox')
    ? false
    : 'needs qemu-system-x86, qemu-utils, linux-image-cloud-amd64 and busybox-static';

/** The pid of the QEMU running the server, or undefined. */
export function qemuPidOf(uuid: string): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmd.includes('qemu-system') && cmd.includes(`-uuid\0${uuid}\0`)) return Number(name);
  }
  return undefined;
}

/** The QEMU command line of the server (NUL-separated arguments as a list). */
export function qemuArgsOf(uuid: string): string[] {
  const pid = qemuPidOf(uuid);
  if (pid === undefined) return [];
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
}

export async function consoleOutput(c: MoveCloud, id: string): Promise<string> {
  const r = await c.action(id, { 'os-getConsoleOutput': {} });
  return r.status === 200 ? String(r.body.output) : '';
}

/** Waits until the console (from `from` characters on) matches re; returns the whole console. */
export async function waitConsole(
  c: MoveCloud,
  id: string,
  re: RegExp,
  from = 0,
  timeoutMs = 60_000,
): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const out = await consoleOutput(c, id);
    if (re.test(out.slice(from))) return out;
    if (Date.now() > end) throw new Error(`console of ${id} never matched ${re}; tail:\n${out.slice(-600)}`);
    await sleep(200);
  }
}

/** The last "uptime N s" the tiny guest printed. */
export function lastUptime(out: string): number {
  const all = [...out.matchAll(/uptime ([\d.]+)s/g)];
  return all.length ? Number(all[all.length - 1]?.[1]) : -1;
}

export async function waitGone(pid: number, timeoutMs = 15_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (!existsSync(`/proc/${pid}`)) return true;
    await sleep(100);
  }
  return !existsSync(`/proc/${pid}`);
}
