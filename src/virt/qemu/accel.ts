// Which accelerator guests get. `[libvirt] virt_type = kvm` is honoured only when a short probe
// boots under KVM: some machines expose /dev/kvm yet hang the guest kernel, so the probe starts the
// host's kernel with KVM and waits for its first line on the serial port. Anything else (no
// /dev/kvm, no kernel to try, no output in time) falls back to TCG with a warning.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../common/log.ts';

export type Accel = 'kvm' | 'tcg';

export interface AccelChoice {
  readonly accel: Accel;
  /** Why this accelerator (logged once). */
  readonly reason: string;
}

/** The newest /boot/vmlinuz-* readable here, for the probe. */
export function probeKernel(bootDir = '/boot'): string | undefined {
  if (!existsSync(bootDir)) return undefined;
  const names = readdirSync(bootDir)
    .filter((n) => n.startsWith('vmlinuz-'))
    .sort();
  const last = names.at(-1);
  return last === undefined ? undefined : join(bootDir, last);
}

/** Boots `kernel` under KVM for up to timeoutMs; true when it printed its banner on serial. */
export function kvmBoots(qemu: string, kernel: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const args = [
      ...['-accel', 'kvm', '-nodefaults', '-no-user-config', '-display', 'none', '-m', '128'],
      ...['-no-reboot', '-serial', 'stdio', '-kernel', kernel],
      ...['-append', 'console=ttyS0 earlyprintk=ttyS0 panic=-1'],
    ];
    const child = spawn(qemu, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s: string) => {
      out += s;
      if (/Linux version/.test(out)) finish(true);
    });
    child.on('error', () => finish(false));
    child.on('exit', () => finish(/Linux version/.test(out)));
  });
}

/** The probe's answer is kept per machine boot (a file in cacheDir), so restarts do not wait for it. */
function probeKey(qemu: string, kernel: string): string {
  let boot = '';
  try {
    boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {}
  return `${boot} ${qemu} ${kernel}`;
}

async function cachedKvmBoots(
  qemu: string,
  kernel: string,
  timeoutMs: number,
  cacheDir?: string,
): Promise<boolean> {
  const file = cacheDir ? join(cacheDir, '.kvm-probe.json') : undefined;
  const key = probeKey(qemu, kernel);
  if (file !== undefined && existsSync(file)) {
    try {
      const c = JSON.parse(readFileSync(file, 'utf8')) as { key?: string; ok?: boolean };
      if (c.key === key && typeof c.ok === 'boolean') return c.ok;
    } catch {}
  }
  const ok = await kvmBoots(qemu, kernel, timeoutMs);
  if (file !== undefined)
    try {
      writeFileSync(file, JSON.stringify({ key, ok }));
    } catch {}
  return ok;
}

/** Decides the accelerator for `virtType` (kvm | qemu), probing KVM once (per boot with cacheDir). */
export async function chooseAccel(
  qemu: string,
  virtType: string,
  opts: { log?: Logger; probeTimeoutMs?: number; kernel?: string; cacheDir?: string } = {},
): Promise<AccelChoice> {
  if (virtType !== 'kvm') return { accel: 'tcg', reason: `[libvirt] virt_type = ${virtType}: TCG` };
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch {
    return warn(opts.log, '/dev/kvm is not usable here');
  }
  const kernel = opts.kernel ?? probeKernel();
  if (kernel === undefined) return warn(opts.log, 'no kernel under /boot to probe KVM with');
  if (await cachedKvmBoots(qemu, kernel, opts.probeTimeoutMs ?? 5000, opts.cacheDir))
    return { accel: 'kvm', reason: 'KVM probe booted: KVM' };
  return warn(opts.log, 'a guest kernel did not boot under KVM within the probe time');
}

function warn(log: Logger | undefined, why: string): AccelChoice {
  const reason = `virt_type = kvm but ${why}; guests run under TCG (software emulation)`;
  log?.warn(reason);
  return { accel: 'tcg', reason };
}
