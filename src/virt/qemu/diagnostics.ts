// os-server-diagnostics of a QEMU guest (upstream's standard diagnostics shape).
import { statSync } from 'node:fs';
import type { Diagnostics, PowerStateValue } from '../driver.ts';
import { PowerState } from '../driver.ts';
import type { GuestRecord } from './guest-record.ts';

export function guestDiagnostics(
  r: GuestRecord,
  pid: number | undefined,
  s: PowerStateValue,
  accel: string,
): Diagnostics {
  const disks = [r.disks.root, r.disks.ephemeral, r.disks.swap, r.disks.config].filter(
    (x): x is string => x !== null,
  );
  let uptime = 0;
  if (pid !== undefined)
    try {
      uptime = Math.max(0, Math.floor((Date.now() - statSync(`/proc/${pid}`).ctimeMs) / 1000));
    } catch {}
  const { RUNNING, PAUSED, SUSPENDED } = PowerState;
  return {
    state: s === RUNNING ? 'running' : s === PAUSED ? 'paused' : s === SUSPENDED ? 'suspended' : 'shutdown',
    driver: 'libvirt',
    hypervisor: accel === 'kvm' ? 'kvm' : 'qemu',
    hypervisor_os: 'linux',
    uptime,
    config_drive: r.disks.config !== null,
    num_cpus: r.vcpus,
    num_nics: r.vifs.length,
    num_disks: disks.length,
    cpu_details: Array.from({ length: r.vcpus }, (_, id) => ({ id, time: null, utilisation: null })),
    nic_details: r.vifs.map((v) => ({ mac_address: v.mac })),
    disk_details: disks.map(() => ({
      read_bytes: 0,
      read_requests: 0,
      write_bytes: 0,
      write_requests: 0,
      errors_count: 0,
    })),
    memory_details: { maximum: r.memoryMb, used: 0 },
  };
}
