// Smaller upstream groups: [workarounds], [notifications], [devices], [pci], [image_cache].
import { defineGroup } from '../group.ts';
import { boolOpt, intOpt, listOpt, multiStrOpt, strOpt } from '../opt.ts';

export const workaroundsGroup = defineGroup(
  'workarounds',
  'Workarounds',
  'Switches that work around bugs in Nova or the platform. Only turn one on for the problem it names.',
  {
    disable_rootwrap: boolOpt({ help: 'Use sudo instead of rootwrap (unused by nova-ts).', default: false }),
    handle_virt_lifecycle_events: boolOpt({
      help: 'Act on hypervisor lifecycle events (power state changes) as they arrive.',
      default: true,
    }),
    disable_group_policy_check_upcall: boolOpt({
      help: 'Skip the late server group policy check on the compute host.',
      default: false,
    }),
    never_download_image_if_on_rbd: boolOpt({
      help: 'Refuse to download images that live in the same Ceph cluster.',
      default: false,
    }),
    reserve_disk_resource_for_image_cache: boolOpt({
      help: 'Count the image cache against the DISK_GB reported to placement.',
      default: false,
    }),
    wait_for_vif_plugged_event_during_hard_reboot: listOpt({
      help: 'VNIC types whose plug event a hard reboot waits for.',
      default: [],
    }),
    disable_compute_service_check_for_ffu: boolOpt({
      help: 'Skip the check for too-old compute services at startup (fast-forward upgrades).',
      default: false,
    }),
    unified_limits_count_pcpu_as_vcpu: boolOpt({
      help: 'Count dedicated CPUs as VCPUs against unified limits.',
      default: false,
    }),
    skip_cpu_compare_on_dest: boolOpt({
      help: 'Skip the CPU compatibility check on the migration destination.',
      default: false,
    }),
    skip_hypervisor_version_check_on_lm: boolOpt({
      help: 'Skip the hypervisor version check before a live migration.',
      default: false,
    }),
    disable_deep_image_inspection: boolOpt({ help: 'Skip deep format checks of images.', default: false }),
  },
);

export const notificationsGroup = defineGroup(
  'notifications',
  'Notifications',
  'What notifications Nova sends.',
  {
    notify_on_state_change: strOpt({
      help: 'Send compute.instance.update on state changes: vm_state, or vm_and_task_state. Unset sends none.',
      choices: ['vm_state', 'vm_and_task_state'],
      deprecated: [{ group: 'DEFAULT' }],
    }),
    default_level: strOpt({
      help: 'Priority of notifications.',
      default: 'INFO',
      choices: ['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'],
      deprecated: [{ group: 'DEFAULT', name: 'default_notification_level' }],
    }),
    notification_format: strOpt({
      help: 'Which notifications are sent: unversioned (legacy), versioned, or both.',
      default: 'unversioned',
      choices: ['both', 'versioned', 'unversioned'],
      deprecated: [{ group: 'DEFAULT' }],
    }),
    versioned_notifications_topics: listOpt({
      help: 'Topics versioned notifications go to.',
      default: ['versioned_notifications'],
    }),
    bdms_in_notifications: boolOpt({
      help: 'Include block devices in instance notifications.',
      default: false,
    }),
  },
);

export const devicesGroup = defineGroup(
  'devices',
  'Mediated devices',
  'Virtual GPUs and other mediated devices.',
  {
    enabled_mdev_types: listOpt({
      help: 'Mediated device types this host offers.',
      default: [],
      deprecated: [{ name: 'enabled_vgpu_types' }],
    }),
  },
);

export const pciGroup = defineGroup('pci', 'PCI passthrough', 'PCI devices handed to guests.', {
  alias: multiStrOpt({
    help: 'A PCI alias flavors can request, as a JSON object. Repeat for several.',
    deprecated: [{ group: 'DEFAULT', name: 'pci_alias' }],
  }),
  device_spec: multiStrOpt({
    help: 'Host PCI devices that may be passed through, as a JSON object or list. Repeat for several.',
    deprecated: [{ name: 'passthrough_whitelist' }, { group: 'DEFAULT', name: 'pci_passthrough_whitelist' }],
  }),
  report_in_placement: boolOpt({ help: 'Report PCI devices as placement inventories.', default: false }),
});

export const imageCacheGroup = defineGroup(
  'image_cache',
  'Image cache',
  'Base images cached on compute hosts.',
  {
    manager_interval: intOpt({
      help: 'Seconds between image cache cleanups; 0 means every periodic run, -1 never.',
      default: 2400,
      min: -1,
      deprecated: [{ group: 'DEFAULT', name: 'image_cache_manager_interval' }],
    }),
    subdirectory_name: strOpt({
      help: 'Directory under instances_path holding cached images.',
      default: '_base',
      deprecated: [{ group: 'DEFAULT', name: 'image_cache_subdirectory_name' }],
    }),
    remove_unused_base_images: boolOpt({
      help: 'Delete cached images no instance uses.',
      default: true,
      deprecated: [{ group: 'DEFAULT' }],
    }),
    remove_unused_original_minimum_age_seconds: intOpt({
      help: 'Seconds an unused cached image is kept.',
      default: 86400,
      deprecated: [{ group: 'DEFAULT' }],
    }),
    remove_unused_resized_minimum_age_seconds: intOpt({
      help: 'Seconds an unused resized cached image is kept.',
      default: 3600,
      deprecated: [{ group: 'libvirt' }],
    }),
    precache_concurrency: intOpt({ help: 'Images pre-cached at once per compute host.', default: 1, min: 1 }),
  },
);
