// Helpers of the QEMU benchmark (scripts/bench-qemu.ts): the reference boot with a plain qemu command
// line, finding and killing the processes of a throwaway state directory, figures (median, min,
// max), the machine description, and the "## Benchmark" section of docs/qemu.md.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The tiny guest's banner (src/image/tiny/init-script.ts: `nova-ts tiny guest <version> booted`). */
export const BANNER = /nova-ts tiny guest \S+ booted/;

export const QEMU = ['/usr/bin/qemu-system-x86_64', '/usr/local/bin/qemu-system-x86_64'].find(existsSync);

export const seconds = (since: number): number => (performance.now() - since) / 1000;

export interface Figures {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function figures(xs: readonly number[]): Figures {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1] };
}

export const fmt = (x: number): string => `${x.toFixed(2)} s`;

/** Live processes (not zombies) whose command line contains `needle`, with that command line. */
export function processesMentioning(needle: string): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (cmd.includes(needle) && !/\) [ZX] /.test(stat)) out.push({ pid: Number(name), cmd });
    } catch {}
  }
  return out;
}

/** qemu-system processes whose command line contains `needle` (a guest's state directory or uuid). */
export const qemuPids = (needle: string): number[] =>
  processesMentioning(needle)
    .filter((p) => p.cmd.includes('qemu-system'))
    .map((p) => p.pid);

/** SIGKILLs every process whose command line contains `needle`; returns the pids it found. */
export async function killAllMentioning(needle: string): Promise<number[]> {
  const found = processesMentioning(needle).map((p) => p.pid);
  for (const pid of found)
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  for (let i = 0; i < 50 && processesMentioning(needle).length > 0; i++) await sleep(100);
  return found;
}

/** Seconds since the machine booted (/proc/uptime, 10 ms resolution). */
export const uptime = (): number => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);

/** When `pid` started, in seconds since the machine booted (/proc/<pid>/stat field 22, USER_HZ = 100). */
export function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds `pid` has used so far (utime + stime, /proc/<pid>/stat fields 14 and 15). */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Where the kernel and initrd of the tiny image are in the image cache (`<id>.aki`, `<id>.ari`). */
export function cachedBootFiles(cacheDir: string): { kernel: string; initrd: string } {
  const names = existsSync(cacheDir) ? readdirSync(cacheDir) : [];
  const kernel = names.find((n) => n.endsWith('.aki'));
  const initrd = names.find((n) => n.endsWith('.ari'));
  if (!kernel || !initrd)
    throw new Error(`no .aki/.ari in the image cache ${cacheDir} (found: ${names.join(', ') || 'nothing'})`);
  return { kernel: join(cacheDir, kernel), initrd: join(cacheDir, initrd) };
}

/**
 * The plain reference boot: the same kernel and initrd; seconds from spawn to the banner in the
 * serial file, and the CPU seconds QEMU had used by then.
 */
export async function plainBoot(
  kernel: string,
  initrd: string,
  serial: string,
  timeoutMs: number,
): Promise<{ banner: number; cpu: number }> {
  if (!QEMU) throw new Error('qemu-system-x86_64 is not installed');
  const args = [
    ...['-accel', 'tcg', '-m', '128', '-nodefaults', '-display', 'none'],
    ...['-serial', `file:${serial}`, '-kernel', kernel, '-initrd', initrd, '-append', 'console=ttyS0'],
  ];
  const t = performance.now();
  const child: ChildProcess = spawn(QEMU, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  try {
    for (;;) {
      const text = existsSync(serial) ? readFileSync(serial, 'utf8') : '';
      if (BANNER.test(text)) {
        const banner = seconds(t);
        return { banner, cpu: (child.pid && cpuSeconds(child.pid)) || Number.NaN };
      }
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(
          `plain qemu exited (${child.exitCode ?? child.signalCode}) before the banner: ${stderr}`,
        );
      if (performance.now() - t > timeoutMs)
        throw new Error(`plain qemu: no banner within ${timeoutMs} ms; serial: ${text.slice(-500)}`);
      await sleep(100);
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
  }
}

/** One line about the machine, for the docs: CPU, cores, memory, kernel, QEMU, load. */
export function machine(): string {
  const cpu = os.cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  let qemu = 'QEMU ?';
  try {
    const v = execFileSync(QEMU ?? 'qemu-system-x86_64', ['--version'], { encoding: 'utf8' });
    qemu = v.split('\n')[0].replace(/^QEMU emulator version /, 'QEMU ');
  } catch {}
  const gib = (os.totalmem() / 2 ** 30).toFixed(0);
  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  return `${cpu}, ${os.cpus().length} vCPUs, ${gib} GiB RAM, Linux ${os.release()}, ${qemu} (TCG), load average at start ${load}`;
}

/**
 * Adds or replaces the "## Benchmark" section of a Markdown file (up to the next "## " heading),
 * leaving the rest as it is; creates the file with just that section when absent. `section` starts
 * with its heading. Read and written in one step (rename) so a concurrent editor loses nothing
 * but what was written in between.
 */
export function writeDocSection(path: string, section: string): void {
  const body = section.endsWith('\n') ? section : `${section}\n`;
  if (!existsSync(path)) {
    writeFileSync(path, body);
    return;
  }
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^##\s+Benchmark\s*$/.test(l));
  let next: string;
  if (start < 0) next = `${text.replace(/\n*$/, '')}\n\n${body}`;
  else {
    let end = lines.findIndex((l, i) => i > start && /^##?\s/.test(l));
    if (end < 0) end = lines.length;
    const before = lines.slice(0, start).join('\n');
    const after = lines.slice(end).join('\n');
    next = `${before}${before ? '\n' : ''}${body}${after ? `\n${after}` : ''}`;
  }
  const tmp = `${path}.bench-${process.pid}.tmp`;
  writeFileSync(tmp, next);
  renameSync(tmp, path);
}
