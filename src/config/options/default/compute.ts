// [DEFAULT]: the compute service's driver, build behaviour and images (nova/conf/compute.py,
// configdrive.py upstream).
import { boolOpt, intOpt, listOpt, multiStrOpt, pathOpt, strOpt } from '../../opt.ts';

export const computeOpts = {
  compute_driver: strOpt({
    help:
      'Virt driver of this compute service. nova-ts ships fake and qemu; upstream names such as ' +
      'libvirt.LibvirtDriver are read by the compute service, which maps what it can.',
  }),
  allow_resize_to_same_host: boolOpt({
    help: 'Let a resize pick the host the instance is on (useful on single-host clouds).',
    default: false,
  }),
  non_inheritable_image_properties: listOpt({
    help: 'Image properties not copied to snapshots of an instance.',
    default: ['cache_in_nova', 'bittorrent'],
  }),
  max_local_block_devices: intOpt({
    help: 'Most local block devices (image-backed) an instance may request; negative means no limit.',
    default: 3,
  }),
  compute_monitors: listOpt({
    help: 'Metric monitors the compute service runs (namespace.name).',
    default: [],
  }),
  default_ephemeral_format: strOpt({
    help: 'Filesystem for new ephemeral disks; unset means the driver decides.',
  }),
  vif_plugging_is_fatal: boolOpt({
    help: 'Fail a build when the network service does not report the port plugged in time.',
    default: true,
  }),
  vif_plugging_timeout: intOpt({
    help: 'Seconds to wait for the network-vif-plugged event; 0 means do not wait.',
    default: 300,
    min: 0,
  }),
  preallocate_images: strOpt({
    help: 'Storage preallocation for instance disks: none, or space (allocate fully at start).',
    default: 'none',
    choices: ['none', 'space'],
  }),
  use_cow_images: boolOpt({
    help: 'Use copy-on-write (qcow2) images on top of a cached base image.',
    default: true,
  }),
  force_raw_images: boolOpt({ help: 'Convert downloaded images to raw format.', default: true }),
  virt_mkfs: multiStrOpt({
    help: 'Command to make a filesystem for an OS type, as <os_type>=<mkfs command>. Repeat for each.',
  }),
  resize_fs_using_block_device: boolOpt({
    help: 'Resize the filesystem inside an image by attaching it as a block device.',
    default: false,
  }),
  timeout_nbd: intOpt({ help: 'Seconds to wait for an NBD device to appear.', default: 10, min: 0 }),
  pointer_model: strOpt({
    help: 'Guest pointer device: usbtablet (absolute) or ps2mouse (relative).',
    default: 'usbtablet',
    choices: ['ps2mouse', 'usbtablet'],
  }),
  reimage_timeout_per_gb: intOpt({
    help: 'Seconds per GB of image to wait for a volume-backed rebuild to re-image the volume.',
    default: 20,
    min: 1,
  }),
  instance_usage_audit: boolOpt({
    help: 'Emit periodic compute.instance.exists usage notifications.',
    default: false,
  }),
  instance_usage_audit_period: strOpt({
    help: 'Period of usage audits: hour, day, month or year, optionally @<offset>.',
    default: 'month',
    pattern: /^(hour|month|day|year)(@(\d+))?$/,
  }),
  resume_guests_state_on_host_boot: boolOpt({
    help: 'Restart instances that were running when the compute host went down.',
    default: false,
  }),
  network_allocate_retries: intOpt({
    help: 'Retries of network allocation for a build.',
    default: 0,
    min: 0,
  }),
  max_concurrent_builds: intOpt({
    help: 'Builds one compute service runs at once; 0 means no limit.',
    default: 10,
    min: 0,
  }),
  max_concurrent_snapshots: intOpt({
    help: 'Snapshots one compute service takes at once; 0 means no limit.',
    default: 5,
    min: 0,
  }),
  max_concurrent_live_migrations: intOpt({
    help: 'Outgoing live migrations one compute service runs at once; 0 means no limit.',
    default: 1,
    min: 0,
  }),
  live_migration_retry_count: intOpt({
    help: 'Retries of the pre-live-migration step on the destination.',
    default: 30,
    min: 0,
  }),
  block_device_allocate_retries: intOpt({
    help: 'Checks that a new volume became available before giving up.',
    default: 60,
    min: 0,
  }),
  sync_power_state_pool_size: intOpt({ help: 'Power-state syncs run concurrently.', default: 5 }),
  force_config_drive: boolOpt({ help: 'Give every instance a config drive.', default: false }),
  config_drive_format: strOpt({
    help: 'Config drive image format: iso9660 or vfat.',
    default: 'iso9660',
    choices: ['iso9660', 'vfat'],
  }),
  mkisofs_cmd: pathOpt({ help: 'Tool that builds ISO9660 config drives.', default: 'genisoimage' }),
  flat_injected: boolOpt({
    help: 'Write network configuration into the guest image before boot.',
    default: false,
  }),
  migrate_max_retries: intOpt({
    help: 'Times the conductor retries a failed cold migration or resize on another host; -1 means max_attempts.',
    default: -1,
    min: -1,
  }),
};
