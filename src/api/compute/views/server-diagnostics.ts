// Server diagnostics views: the standard form of 2.48 (upstream's fixed field list, absent values
// null) and, before 2.48, the legacy flat dictionary libvirt used to return (cpuN_time, memory,
// <disk>_read…, <nic>_rx…), derived here from the same driver data.
import type { Diagnostics } from '../../../virt/driver.ts';

const PRIMITIVES = [
  'state',
  'driver',
  'hypervisor',
  'hypervisor_os',
  'uptime',
  'config_drive',
  'num_cpus',
  'num_nics',
  'num_disks',
] as const;

const LISTS = {
  disk_details: ['read_bytes', 'read_requests', 'write_bytes', 'write_requests', 'errors_count'],
  cpu_details: ['id', 'time', 'utilisation'],
  nic_details: [
    'mac_address',
    'rx_octets',
    'rx_errors',
    'rx_drop',
    'rx_packets',
    'rx_rate',
    'tx_octets',
    'tx_errors',
    'tx_drop',
    'tx_packets',
    'tx_rate',
  ],
} as const;

type Row = Readonly<Record<string, unknown>>;

const pick = (row: Row | undefined, fields: readonly string[]) =>
  Object.fromEntries(fields.map((f) => [f, row?.[f] ?? null]));

export function diagnosticsV248(d: Diagnostics): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of PRIMITIVES) out[f] = d[f] ?? null;
  for (const [list, fields] of Object.entries(LISTS))
    out[list] = ((d[list as keyof typeof LISTS] ?? []) as readonly Row[]).map((r) => pick(r, fields));
  out.memory_details = pick(d.memory_details, ['maximum', 'used']);
  return out;
}

const num = (v: unknown, fallback = 0): number => (typeof v === 'number' ? v : fallback);

/** Disk i's device name as libvirt named virtio disks: vda, vdb, … */
const diskName = (row: Row, i: number): string =>
  typeof row.name === 'string' ? row.name : `vd${String.fromCharCode(97 + (i % 26))}`;
const nicName = (row: Row, i: number): string => (typeof row.name === 'string' ? row.name : `vnet${i}`);

export function diagnosticsLegacy(d: Diagnostics): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  d.cpu_details.forEach((c, i) => {
    out[`cpu${num(c.id, i)}_time`] = num(c.time);
  });
  out.memory = num(d.memory_details?.maximum);
  d.disk_details.forEach((disk, i) => {
    const n = diskName(disk, i);
    out[`${n}_errors`] = num(disk.errors_count, -1);
    out[`${n}_read`] = num(disk.read_bytes);
    out[`${n}_read_req`] = num(disk.read_requests);
    out[`${n}_write`] = num(disk.write_bytes);
    out[`${n}_write_req`] = num(disk.write_requests);
  });
  d.nic_details.forEach((nic, i) => {
    const n = nicName(nic, i);
    out[`${n}_rx`] = num(nic.rx_octets);
    out[`${n}_rx_drop`] = num(nic.rx_drop);
    out[`${n}_rx_errors`] = num(nic.rx_errors);
    out[`${n}_rx_packets`] = num(nic.rx_packets);
    out[`${n}_tx`] = num(nic.tx_octets);
    out[`${n}_tx_drop`] = num(nic.tx_drop);
    out[`${n}_tx_errors`] = num(nic.tx_errors);
    out[`${n}_tx_packets`] = num(nic.tx_packets);
  });
  return out;
}
