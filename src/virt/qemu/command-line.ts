// The qemu-system-x86_64 command line of a guest, built from its record: nothing else decides how a
// guest is started, so a restart (power on, hard reboot, resume, unrescue) gives the same machine.
// QEMU daemonizes (the guest outlives nova-compute), answers QMP on a unix socket, writes its pid
// file, logs the serial console to console.log while serving it on a loopback TCP port, and serves
// VNC on the first free display from [vnc] server_listen.
import type { Accel } from './accel.ts';
import type { GuestPaths, GuestRecord } from './guest-record.ts';

export interface CommandLineOptions {
  readonly accel: Accel;
  /** Address QEMU's VNC server listens on ([vnc] server_listen); null: no VNC. */
  readonly vncListen: string | null;
  /** Address the serial console listens on ([serial_console] proxyclient_address). */
  readonly serialListen: string;
  /** Start paused waiting for `migrate-incoming` (resume from a managed save, live migration). */
  readonly incoming?: string;
  /** Start with the vCPUs stopped (`-S`): QMP `cont` lets the guest run. */
  readonly paused?: boolean;
  /** Boot the rescue disk (record.rescue) with the root disk second. */
  readonly rescue?: boolean;
}

const drive = (id: string, file: string, format: string, extra = '') => [
  '-drive',
  `file=${file},format=${format},if=virtio,cache=writeback,discard=unmap,id=${id}${extra}`,
];

export function qemuCommandLine(r: GuestRecord, p: GuestPaths, o: CommandLineOptions): string[] {
  const rescue = o.rescue === true && r.rescue !== null ? r.rescue : null;
  const boot = rescue?.boot ?? r.boot;
  const args: string[] = [
    ...['-name', `guest=${r.name},debug-threads=on`, '-uuid', r.uuid],
    ...['-machine', `pc,accel=${o.accel}`, '-cpu', o.accel === 'kvm' ? 'host' : 'max'],
    ...['-m', String(r.memoryMb), '-smp', String(Math.max(1, r.vcpus))],
    ...['-nodefaults', '-no-user-config', '-rtc', 'base=utc', '-boot', 'order=c'],
    ...['-qmp', `unix:${p.qmp},server=on,wait=off`, '-pidfile', p.pid, '-daemonize'],
    ...[
      '-chardev',
      `socket,id=serial0,host=${o.serialListen},port=${r.serialPort},server=on,wait=off,telnet=off,logfile=${p.console},logappend=on`,
      '-serial',
      'chardev:serial0',
    ],
    ...['-device', 'VGA'],
    ...(o.vncListen === null ? ['-display', 'none'] : ['-vnc', `${o.vncListen}:0,to=1000`]),
  ];
  if (rescue !== null) args.push(...drive('rescue', rescue.disk, 'qcow2'));
  args.push(...drive('disk0', r.disks.root, 'qcow2'));
  if (r.disks.ephemeral) args.push(...drive('disk-local', r.disks.ephemeral, 'qcow2'));
  if (r.disks.swap) args.push(...drive('disk-swap', r.disks.swap, 'raw'));
  if (r.disks.config)
    args.push('-drive', `file=${r.disks.config},format=raw,if=ide,media=cdrom,readonly=on,id=config`);
  if (boot.kernel) {
    args.push('-kernel', boot.kernel, '-append', boot.cmdline ?? 'console=ttyS0');
    if (boot.ramdisk) args.push('-initrd', boot.ramdisk);
  }
  r.vifs.forEach((v, i) => {
    if (v.tap === null) return;
    args.push(
      ...['-netdev', `tap,id=net${i},ifname=${v.tap},script=no,downscript=no`],
      ...['-device', `virtio-net-pci,netdev=net${i},mac=${v.mac}`],
    );
  });
  if (o.incoming !== undefined) args.push('-incoming', o.incoming);
  if (o.paused) args.push('-S');
  return args;
}
