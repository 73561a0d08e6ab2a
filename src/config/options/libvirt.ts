// [libvirt]: the hypervisor driver's options. nova-ts's qemu driver reads the ones that make sense
// without libvirt (virt_type, cpu_mode/cpu_models, images_type, inject_*, live_migration_*). Options
// moved here from [DEFAULT] libvirt_* in Icehouse keep those old names.
import { defineGroup } from '../group.ts';
import { boolOpt, intOpt, listOpt, pathOpt, strOpt } from '../opt.ts';

const old = (name: string) => [{ group: 'DEFAULT', name: `libvirt_${name}` }];

const generalOpts = {
  virt_type: strOpt({
    help: 'Kind of virtualisation: kvm (hardware), qemu (emulation), lxc or parallels.',
    default: 'kvm',
    choices: ['kvm', 'lxc', 'qemu', 'parallels'],
    deprecated: old('type'),
  }),
  connection_uri: strOpt({
    help: 'Hypervisor connection URI; empty means the default for virt_type.',
    default: '',
    deprecated: old('uri'),
  }),
  inject_password: boolOpt({
    help: 'Write the admin password into the guest disk at boot.',
    default: false,
    deprecated: old('inject_password'),
  }),
  inject_key: boolOpt({
    help: 'Write the SSH key into the guest disk at boot.',
    default: false,
    deprecated: old('inject_key'),
  }),
  inject_partition: intOpt({
    help: 'Partition to inject into: -2 no injection, -1 find the root partition, 0 the whole disk, N a partition.',
    default: -2,
    min: -2,
    deprecated: old('inject_partition'),
  }),
  cpu_mode: strOpt({
    help: 'Guest CPU model: host-model, host-passthrough, custom (cpu_models) or none.',
    choices: ['host-model', 'host-passthrough', 'custom', 'none'],
    deprecated: old('cpu_mode'),
  }),
  cpu_models: listOpt({
    help: 'Named CPU models for cpu_mode = custom, most preferred first.',
    default: [],
    deprecated: [{ name: 'cpu_model' }, { group: 'DEFAULT', name: 'libvirt_cpu_model' }],
  }),
  cpu_model_extra_flags: listOpt({
    help: 'CPU flags added to (+flag) or removed from (-flag) the model.',
    default: [],
  }),
  snapshots_directory: pathOpt({
    help: 'Where snapshots are staged before upload.',
    default: '$instances_path/snapshots',
    deprecated: old('snapshots_directory'),
  }),
  snapshot_image_format: strOpt({
    help: 'Format of uploaded snapshots; unset means the source disk format.',
    choices: ['raw', 'qcow2', 'vmdk', 'vdi'],
    deprecated: [{ group: 'DEFAULT', name: 'snapshot_image_format' }],
  }),
  snapshot_compression: boolOpt({ help: 'Compress qcow2 snapshots.', default: false }),
  disk_prefix: strOpt({
    help: 'Guest disk device prefix (vd, sd, xvd, hd); unset means by bus.',
    deprecated: old('disk_prefix'),
  }),
  disk_cachemodes: listOpt({ help: 'Cache mode per disk type, as type=mode.', default: [] }),
  hw_machine_type: listOpt({ help: 'Machine type per architecture, as arch=machine_type.' }),
  sysinfo_serial: strOpt({
    help: 'Source of the guest system serial number: none, os, hardware, auto or unique (instance UUID).',
    default: 'unique',
    choices: ['none', 'os', 'hardware', 'auto', 'unique'],
  }),
  mem_stats_period_seconds: intOpt({
    help: 'Seconds between guest memory statistics; 0 disables.',
    default: 10,
  }),
  wait_soft_reboot_seconds: intOpt({
    help: 'Seconds to wait for a soft reboot before a hard one.',
    default: 120,
    deprecated: old('wait_soft_reboot_seconds'),
  }),
  use_virtio_for_bridges: boolOpt({
    help: 'Use virtio NICs for bridged interfaces.',
    default: true,
    deprecated: old('use_virtio_for_bridges'),
  }),
  num_pcie_ports: intOpt({
    help: 'PCIe root ports for hot-plug (q35); 0 means the default.',
    default: 0,
    min: 0,
    max: 28,
  }),
  file_backed_memory: intOpt({
    help: 'MiB of file-backed guest memory available; 0 disables.',
    default: 0,
    min: 0,
  }),
  rx_queue_size: intOpt({ help: 'virtio-net RX queue size.', choices: [256, 512, 1024] }),
  tx_queue_size: intOpt({ help: 'virtio-net TX queue size.', choices: [256, 512, 1024] }),
  rng_dev_path: pathOpt({ help: 'Host entropy source for guest RNG devices.', default: '/dev/urandom' }),
  swtpm_enabled: boolOpt({ help: 'Offer emulated TPM devices.', default: false }),
  cpu_power_management: boolOpt({ help: 'Power down dedicated host CPUs not in use.', default: false }),
  migration_inbound_addr: strOpt({ help: 'Address other hosts migrate to this host on.', default: '$my_ip' }),
};

const storageOpts = {
  images_type: strOpt({
    help: 'Backend of instance disks: raw, flat, qcow2, lvm, rbd, ploop, or default (from use_cow_images).',
    default: 'default',
    choices: ['raw', 'flat', 'qcow2', 'lvm', 'rbd', 'ploop', 'default'],
    deprecated: old('images_type'),
  }),
  images_volume_group: strOpt({
    help: 'LVM volume group for images_type = lvm.',
    deprecated: old('images_volume_group'),
  }),
  images_rbd_pool: strOpt({
    help: 'Ceph pool for images_type = rbd.',
    default: 'rbd',
    deprecated: old('images_rbd_pool'),
  }),
  images_rbd_ceph_conf: pathOpt({
    help: 'Ceph configuration file.',
    default: '',
    deprecated: old('images_rbd_ceph_conf'),
  }),
  hw_disk_discard: strOpt({
    help: 'Discard (TRIM) requests from guests: ignore or unmap.',
    choices: ['ignore', 'unmap'],
  }),
  rbd_user: strOpt({ help: 'Ceph user for RBD volumes.' }),
  rbd_secret_uuid: strOpt({ help: 'Libvirt secret UUID holding the Ceph key.' }),
  volume_use_multipath: boolOpt({
    help: 'Attach volumes over multipath.',
    default: false,
    deprecated: [{ name: 'iscsi_use_multipath' }],
  }),
  volume_clear: strOpt({
    help: 'How deleted LVM disks are wiped: zero, shred or none.',
    default: 'zero',
    choices: ['zero', 'shred', 'none'],
  }),
  nfs_mount_point_base: pathOpt({ help: 'Where NFS volumes are mounted.', default: '$state_path/mnt' }),
};

const migrationOpts = {
  live_migration_scheme: strOpt({
    help: 'URI scheme for live migration traffic; unset means per virt_type.',
  }),
  live_migration_inbound_addr: strOpt({ help: 'Address other hosts send live migration traffic to.' }),
  live_migration_tunnelled: boolOpt({
    help: 'Tunnel migration traffic through the hypervisor daemon.',
    default: false,
  }),
  live_migration_bandwidth: intOpt({ help: 'MiB/s limit of live migrations; 0 means no limit.', default: 0 }),
  live_migration_downtime: intOpt({
    help: 'Longest pause in ms allowed to finish a live migration.',
    default: 500,
    min: 100,
  }),
  live_migration_downtime_steps: intOpt({
    help: 'Steps to raise the allowed downtime to its maximum.',
    default: 10,
    min: 3,
  }),
  live_migration_downtime_delay: intOpt({
    help: 'Seconds per GiB of RAM between downtime steps.',
    default: 75,
    min: 3,
  }),
  live_migration_completion_timeout: intOpt({
    help: 'Seconds per GiB of RAM before live_migration_timeout_action applies; 0 disables.',
    default: 800,
    min: 0,
    mutable: true,
  }),
  live_migration_timeout_action: strOpt({
    help: 'What to do when a live migration takes too long: abort or force_complete.',
    default: 'abort',
    choices: ['abort', 'force_complete'],
    mutable: true,
  }),
  live_migration_permit_post_copy: boolOpt({ help: 'Allow post-copy live migration.', default: false }),
  live_migration_permit_auto_converge: boolOpt({
    help: 'Allow throttling the guest CPU to converge.',
    default: false,
  }),
  live_migration_with_native_tls: boolOpt({ help: 'Encrypt migration streams with TLS.', default: false }),
  live_migration_parallel_connections: intOpt({
    help: 'Parallel connections of a live migration.',
    default: 1,
  }),
};

export const libvirtGroup = defineGroup('libvirt', 'Hypervisor', 'Options of the hypervisor (virt) driver.', {
  ...generalOpts,
  ...storageOpts,
  ...migrationOpts,
});

export const LIBVIRT_PARTS = [generalOpts, storageOpts, migrationOpts];
