// A throwaway QEMU guest whose consoles the console-proxy tests reach: no disk (the BIOS screen
// draws on VGA, so VNC has something to show) or the host's cloud kernel (it prints on the serial
// port). VNC on a unix socket or a loopback TCP port, serial on a loopback TCP chardev. Everything
// lives in a temp dir; stop() kills the process and removes the dir.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

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
  /** 'unix' (default) or a free loopback port ≥ 5900 for VNC over TCP. */
  readonly vnc?: 'unix' | number;
  /** A free loopback port for the serial console (then the cloud kernel boots, printing to ttyS0). */
  readonly serialPort?: number;
}

async function waitReachable(target: net.NetConnectOpts, qemu: ChildProcess, ms: number): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) {
    if (qemu.exitCode !== null) throw new Error(`qemu exited with ${qemu.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(target);
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
  }
  throw new Error(`qemu's console ${JSON.stringify(target)} did not answer within ${ms} ms`);
}

export async function startQemuConsoleGuest(o: QemuConsoleOptions = {}): Promise<QemuConsoleGuest> {
  if (!QEMU) throw new Error('qemu-system-x86_64 is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'novats-qemu-console-'));
  const vncPath = join(dir, 'vnc.sock');
  const vncArg = o.vnc === undefined || o.vnc === 'unix' ? `unix:${vncPath}` : `127.0.0.1:${o.vnc - 5900}`;
  const args = ['-accel', 'tcg', '-m', '128', '-no-user-config', '-display', 'none', '-vnc', vncArg];
  args.push('-nic', 'none', '-monitor', 'none', '-parallel', 'none', '-name', 'nova-ts-console-test');
  const kernel = hostKernel();
  if (o.serialPort !== undefined) {
    args.push('-chardev', `socket,id=s0,host=127.0.0.1,port=${o.serialPort},server=on,wait=off`);
    args.push('-serial', 'chardev:s0');
    if (kernel) args.push('-kernel', kernel, '-append', 'console=ttyS0 panic=-1');
  } else args.push('-serial', 'none');
  const qemu = spawn(QEMU, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  qemu.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const stop = async () => {
    if (qemu.exitCode === null && qemu.signalCode === null) {
      const exited = new Promise((r) => qemu.once('exit', r));
      qemu.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const vnc = typeof o.vnc === 'number' ? { port: o.vnc } : { path: vncPath };
    const target: net.NetConnectOpts =
      typeof o.vnc === 'number' ? { host: '127.0.0.1', port: o.vnc } : { path: vncPath };
    await waitReachable(target, qemu, 15_000);
    return { vnc, ...(o.serialPort !== undefined ? { serialPort: o.serialPort } : {}), stop };
  } catch (err) {
    await stop();
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
