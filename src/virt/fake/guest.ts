// One guest of the fake hypervisor: its power state, flavor, node and a console log that grows as
// the guest boots, reboots, stops or crashes; plus its diagnostics in the 2.48 shape.
import type { EmbeddedFlavor } from '../../objects/instance-extra.ts';
import type { Diagnostics, DriverVif, PowerStateValue } from '../driver.ts';
import { PowerState } from '../driver.ts';

export interface FakeGuest {
  readonly uuid: string;
  readonly name: string;
  readonly hostname: string;
  node: string;
  flavor: EmbeddedFlavor;
  state: PowerStateValue;
  rescued: boolean;
  configDrive: boolean;
  vifs: readonly DriverVif[];
  /** When the guest last started running (uptime); null while it is not running. */
  startedAt: Date | null;
  vncPort: number;
  serialPort: number;
  adminPassword: string | null;
  crashDumps: number;
  console: string[];
}

/** Lines of console log kept per guest (the tail; upstream trims console output too). */
const CONSOLE_KEEP = 200;

/** Upstream's power state names (nova/compute/power_state.py STATE_MAP). */
export const POWER_STATE_NAMES: Readonly<Record<number, string>> = Object.freeze({
  [PowerState.NOSTATE]: 'pending',
  [PowerState.RUNNING]: 'running',
  [PowerState.PAUSED]: 'paused',
  [PowerState.SHUTDOWN]: 'shutdown',
  [PowerState.CRASHED]: 'crashed',
  [PowerState.SUSPENDED]: 'suspended',
});

export const stateName = (s: PowerStateValue): string => POWER_STATE_NAMES[s] ?? String(s);

/** Local disk a flavor takes on the node, in GB (root + ephemeral + swap). */
export const guestDiskGb = (f: EmbeddedFlavor): number => f.root_gb + f.ephemeral_gb + f.swap / 1024;

export function appendConsole(g: FakeGuest, lines: readonly string[]): void {
  g.console.push(...lines);
  if (g.console.length > CONSOLE_KEEP) g.console.splice(0, g.console.length - CONSOLE_KEEP);
}

/** What a Linux guest prints while it boots (names the instance so tests can find it). */
export function bootLines(g: FakeGuest, reason: string): string[] {
  return [
    `[    0.000000] Linux version 6.1.0-fake (nova-ts fake hypervisor) ${reason}`,
    `[    0.000000] DMI: OpenStack Foundation OpenStack Nova, BIOS 1.16.3 ${g.name}`,
    `[    0.012000] Memory: ${g.flavor.memory_mb * 1024}K available, ${g.flavor.vcpus} CPUs`,
    `[    1.204000] systemd[1]: Hostname set to <${g.hostname}>.`,
    `cloud-init: instance ${g.uuid} (${g.name}) is up`,
    '',
    `${g.hostname} login: `,
  ];
}

export function stopLines(how: string): string[] {
  return [
    `[  OK  ] Reached target ${how}.`,
    `reboot: ${how === 'Reboot' ? 'Restarting system' : 'Power down'}`,
  ];
}

/** The guest's diagnostics as API microversion 2.48 shows them. */
export function diagnosticsOf(g: FakeGuest, now: Date): Diagnostics {
  const running = g.state === PowerState.RUNNING;
  const uptime =
    running && g.startedAt ? Math.max(0, Math.floor((now.getTime() - g.startedAt.getTime()) / 1000)) : 0;
  const disks: Record<string, unknown>[] = [];
  const disk = (gb: number) => {
    if (gb <= 0) return;
    disks.push({
      read_bytes: running ? 262144 * (disks.length + 1) : 0,
      read_requests: running ? 112 : 0,
      write_bytes: running ? 5778432 : 0,
      write_requests: running ? 488 : 0,
      errors_count: 0,
    });
  };
  disk(g.flavor.root_gb || 1);
  disk(g.flavor.ephemeral_gb);
  disk(g.flavor.swap / 1024);
  if (g.configDrive) disk(1);
  return {
    state: stateName(g.state),
    driver: 'libvirt', // upstream's fake driver reports libvirt/kvm (the 2.48 schema enumerates real drivers)
    hypervisor: 'kvm',
    hypervisor_os: 'linux',
    uptime,
    config_drive: g.configDrive,
    num_cpus: g.flavor.vcpus,
    num_nics: g.vifs.length,
    num_disks: disks.length,
    cpu_details: Array.from({ length: g.flavor.vcpus }, (_, id) => ({
      id,
      time: uptime * 1_000_000_000,
      utilisation: running ? 1 : 0,
    })),
    nic_details: g.vifs.map((v) => ({
      mac_address: v.address,
      rx_octets: running ? 2070139 : 0,
      rx_errors: 0,
      rx_drop: 0,
      rx_packets: running ? 26701 : 0,
      rx_rate: null,
      tx_octets: running ? 140208 : 0,
      tx_errors: 0,
      tx_drop: 0,
      tx_packets: running ? 662 : 0,
      tx_rate: null,
    })),
    disk_details: disks,
    memory_details: { maximum: g.flavor.memory_mb, used: running ? g.flavor.memory_mb : 0 },
  };
}
