// A throwaway QEMU guest whose consoles the console-proxy tests reach: no disk (the BIOS screen
// draws on VGA, so VNC has something to show) or the host's cloud kernel (it prints on the serial
// port). VNC on a unix socket or a loopback TCP port, serial on a loopback TCP chardev. Everything
// lives in a temp dir; stop() kills the process and removes the dir.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts } from './free-ports.ts';

export const QEMU = ['/usr/bin/qemu-system-x86_64', '/usr/local/bin/qemu-system-x86_64'].find(existsSync);

/** The host's cloud kernel, if installed (linux-image-cloud-amd64). */
export function hostKernel(): string | undefined {
  const k = readdirSync('/boot')
    .filter((f) => /^vmlinuz-.*cloud-amd64$/.test(f))
    .sort();
  return k.length ? join('/boot', k[k.length - 1]) : undefined;
}

export interface QemuConsoleGuest {
  /** VNC: a unix socket path, or a loopback port. */
  readonly vnc: { readonly path: string } | { readonly port: number };
  readonly serialPort?: number;
  stop(): Promise<void>;
}

export interface QemuConsoleOptions {
  /** 'unix' (default) or 'tcp': VNC on a free loopback port ≥ 5900. */
  readonly vnc?: 'unix' | 'tcp';
  /** A serial console on a free loopback port (then the cloud kernel boots, printing to ttyS0). */
  readonly serial?: boolean;
}

/** Socket inodes listening on 127.0.0.1:`port` (from /proc/net/tcp). */
function listeningInodes(port: number): string[] {
  const want = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1] === want && f[3] === '0A')
    .map((f) => f[9]);
}

/** Whether process `pid` holds one of `inodes` (its listening socket is qemu's, not a neighbour's). */
function ownsSocket(pid: number, inodes: string[]): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return inodes.some((i) => readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${i}]`);
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/**
 * Waits until qemu listens on every loopback port in `ports` (the listening socket is qemu's own:
 * a port taken by a neighbouring test between freePorts() and qemu's bind is not mistaken for it)
 * and on `path` if given. Returns false when qemu exited (a port was taken: the caller retries).
 */
async function waitListening(qemu: ChildProcess, ports: number[], path: string | undefined, ms: number) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) {
    if (qemu.exitCode !== null || qemu.signalCode !== null) return false;
    const pid = qemu.pid ?? 0;
    if (path !== undefined && !existsSync(path)) continue;
    if (ports.every((p) => ownsSocket(pid, listeningInodes(p)))) return true;
  }
  throw new Error(`qemu's consoles (ports ${ports.join(', ')}) did not listen within ${ms} ms`);
}

async function stopQemu(qemu: ChildProcess): Promise<void> {
  if (qemu.exitCode === null && qemu.signalCode === null) {
    const exited = new Promise((r) => qemu.once('exit', r));
    qemu.kill('SIGKILL');
    await exited;
  }
}

export async function startQemuConsoleGuest(o: QemuConsoleOptions = {}): Promise<QemuConsoleGuest> {
  if (!QEMU) throw new Error('qemu-system-x86_64 is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'novats-qemu-console-'));
  const vncPath = join(dir, 'vnc.sock');
  let stderr = '';
  try {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const [vncPort, serialPort] = await freePorts(2);
      if (vncPort < 5900) continue;
      const tcp = o.vnc === 'tcp';
      const args = ['-accel', 'tcg', '-m', '128', '-no-user-config', '-display', 'none'];
      args.push('-vnc', tcp ? `127.0.0.1:${vncPort - 5900}` : `unix:${vncPath}`);
      args.push('-nic', 'none', '-monitor', 'none', '-parallel', 'none', '-name', 'nova-ts-console-test');
      const kernel = hostKernel();
      if (o.serial) {
        args.push('-chardev', `socket,id=s0,host=127.0.0.1,port=${serialPort},server=on,wait=off`);
        args.push('-serial', 'chardev:s0');
        if (kernel) args.push('-kernel', kernel, '-append', 'console=ttyS0 panic=-1');
      } else args.push('-serial', 'none');
      const qemu = spawn(QEMU, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      stderr = '';
      qemu.stderr?.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      const ports = [...(tcp ? [vncPort] : []), ...(o.serial ? [serialPort] : [])];
      let up: boolean;
      try {
        up = await waitListening(qemu, ports, tcp ? undefined : vncPath, 15_000);
      } catch (err) {
        await stopQemu(qemu);
        throw err;
      }
      if (!up) continue; // a port went to someone else first: new ports
      const stop = async () => {
        await stopQemu(qemu);
        rmSync(dir, { recursive: true, force: true });
      };
      return {
        vnc: tcp ? { port: vncPort } : { path: vncPath },
        ...(o.serial ? { serialPort } : {}),
        stop,
      };
    }
    throw new Error('qemu could not listen on free ports in 5 tries');
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
}

/** A page probe: distinct colours on the noVNC canvas (0 until it draws something). */
export const CANVAS_COLOURS = `(() => {
  const c = document.querySelector('#screen canvas');
  if (!c || c.width < 100) return 0;
  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const seen = new Set();
  for (let i = 0; i < px.length; i += 4) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
  return seen.size > 1 ? seen.size : 0;
})()`;
