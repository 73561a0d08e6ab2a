import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerExtras } from '../../../compute-api/server-list/extras.ts';
import type { Instance } from '../../../objects/instance.ts';
import { parseVersion } from '../microversion.ts';
import type { Links } from '../routing/links.ts';
import {
  addressesView,
  hostId,
  type ServerViewOptions,
  serverBrief,
  serverDetail,
  statesForStatuses,
  statusOf,
} from './servers.ts';

const BASE = 'http://openstack.example.com';
const PROJECT = '6f70656e737461636b20342065766572';
const links: Links = {
  versioned: `${BASE}/v2.1`,
  item: (c, id) => [
    { rel: 'self', href: `${BASE}/v2.1/${PROJECT}/${c}/${id}` },
    { rel: 'bookmark', href: `${BASE}/${PROJECT}/${c}/${id}` },
  ],
  collection: () => [],
};

const UUID = '0e44cc9c-e052-415d-afbf-469b0d384170';
const IMAGE = '70a599e0-31e7-49b7-b260-868f441e862b';

function instance(over: Partial<Instance> = {}): Instance {
  return {
    id: 1,
    uuid: UUID,
    hostname: 'new-server-test',
    project_id: PROJECT,
    user_id: 'fake',
    image_ref: IMAGE,
    kernel_id: '',
    ramdisk_id: '',
    key_name: null,
    key_data: null,
    user_data: null,
    vm_state: 'active',
    task_state: null,
    power_state: 1,
    host: 'compute',
    node: 'fake-mini',
    launch_index: 0,
    memory_mb: 512,
    vcpus: 1,
    root_gb: 1,
    ephemeral_gb: 0,
    instance_type_id: 1,
    progress: 0,
    reservation_id: 'r-ov3q80zj',
    availability_zone: 'us-west',
    display_name: 'new-server-test',
    display_description: null,
    launched_on: 'compute',
    locked: false,
    locked_by: null,
    os_type: null,
    architecture: null,
    vm_mode: null,
    root_device_name: '/dev/sda',
    config_drive: '',
    access_ip_v4: '1.2.3.4',
    access_ip_v6: '80fe::',
    auto_disk_config: true,
    hidden: false,
    launched_at: new Date('2013-09-23T13:37:00.880302Z'),
    terminated_at: null,
    scheduled_at: null,
    created_at: new Date('2013-09-03T04:01:32Z'),
    updated_at: new Date('2013-09-03T04:01:33Z'),
    deleted_at: null,
    deleted: false,
    flavor: {
      name: 'm1.tiny',
      flavorid: '1',
      memory_mb: 512,
      vcpus: 1,
      root_gb: 1,
      ephemeral_gb: 0,
      swap: 0,
      extra_specs: {},
    },
    old_flavor: null,
    new_flavor: null,
    metadata: { 'My Server Name': 'Apache1' },
    system_metadata: { image_architecture: 'x86_64', image_auto_disk_config: 'True', image_min_ram: '0' },
    tags: [],
    fault: null,
    network_info: [
      {
        id: 'vif1',
        address: '00:0c:29:0d:11:74',
        network: {
          id: 'n1',
          label: 'private',
          subnets: [
            {
              cidr: '192.168.1.0/24',
              ips: [
                {
                  address: '192.168.1.30',
                  type: 'fixed',
                  version: 4,
                  floating_ips: [{ address: '172.24.4.2', type: 'floating', version: 4 }],
                },
              ],
            },
          ],
        },
      },
    ],
    keypairs: [],
    trusted_certs: null,
    ...over,
  };
}

const extras: ServerExtras = {
  availabilityZone: 'us-west',
  volumes: [
    { id: 'volume_id1', delete_on_termination: false },
    { id: 'volume_id2', delete_on_termination: false },
  ],
  securityGroups: [{ name: 'default' }],
  hostStatus: 'UP',
  serverGroups: [],
  spec: {
    availability_zone: 'us-west',
    scheduler_hints: { same_host: ['48e6a9f6-30af-47e0-bc04-acaed113bb4e'] },
  },
};

function opts(mv: string, over: Partial<ServerViewOptions> = {}): ServerViewOptions {
  return {
    mv: parseVersion(mv),
    links,
    admin: false,
    extendedAttributes: false,
    extraSpecs: true,
    hostStatus: null,
    ...over,
  };
}

describe('server status map', () => {
  it('maps vm and task states as upstream', () => {
    assert.equal(statusOf('active', null), 'ACTIVE');
    assert.equal(statusOf('active', 'rebooting_hard'), 'HARD_REBOOT');
    assert.equal(statusOf('active', 'image_snapshot'), 'ACTIVE');
    assert.equal(statusOf('stopped', 'resize_prep'), 'RESIZE');
    assert.equal(statusOf('resized', 'resize_reverting'), 'REVERT_RESIZE');
    assert.equal(statusOf('resized', null), 'VERIFY_RESIZE');
    assert.equal(statusOf('paused', 'migrating'), 'MIGRATING');
    assert.equal(statusOf('error', 'rebuild_spawning'), 'REBUILD');
    assert.equal(statusOf('soft-delete', null), 'SOFT_DELETED');
    assert.equal(statusOf('shelved_offloaded', null), 'SHELVED_OFFLOADED');
    assert.equal(statusOf('active', null, true), 'DELETED');
    assert.equal(statusOf('weird', null), 'UNKNOWN');
    assert.equal(statusOf(null, null), 'UNKNOWN');
  });

  it('maps statuses back to states for the status filter', () => {
    assert.deepEqual(statesForStatuses(['reboot']), {
      vmStates: ['active'],
      taskStates: ['reboot_pending', 'reboot_started', 'rebooting'],
    });
    assert.deepEqual(statesForStatuses(['ACTIVE']), { vmStates: ['active'], taskStates: ['default'] });
    assert.deepEqual(statesForStatuses(['RESIZE']).vmStates, ['active', 'stopped']);
    assert.deepEqual(statesForStatuses(['nope']), { vmStates: [], taskStates: [] });
  });
});

describe('server views', () => {
  it('brief: id, name, links', () => {
    assert.deepEqual(serverBrief(instance(), links), {
      id: UUID,
      name: 'new-server-test',
      links: links.item('servers', UUID),
    });
  });

  it('2.1: flavor and image as links, no later fields', () => {
    const v = serverDetail(instance(), extras, opts('2.1'));
    assert.equal(v.status, 'ACTIVE');
    assert.equal(v.hostId, hostId('compute', PROJECT));
    assert.match(v.hostId as string, /^[0-9a-f]{56}$/);
    assert.deepEqual(v.flavor, {
      id: '1',
      links: [{ rel: 'bookmark', href: `${BASE}/${PROJECT}/flavors/1` }],
    });
    assert.deepEqual(v.image, {
      id: IMAGE,
      links: [{ rel: 'bookmark', href: `${BASE}/${PROJECT}/images/${IMAGE}` }],
    });
    assert.equal(v.created, '2013-09-03T04:01:32Z');
    assert.equal(v['OS-SRV-USG:launched_at'], '2013-09-23T13:37:00.880000');
    assert.equal(v['OS-DCF:diskConfig'], 'AUTO');
    assert.equal(v.progress, 0);
    assert.deepEqual(v['os-extended-volumes:volumes_attached'], [{ id: 'volume_id1' }, { id: 'volume_id2' }]);
    assert.deepEqual(v.addresses, {
      private: [
        {
          version: 4,
          addr: '192.168.1.30',
          'OS-EXT-IPS:type': 'fixed',
          'OS-EXT-IPS-MAC:mac_addr': '00:0c:29:0d:11:74',
        },
        {
          version: 4,
          addr: '172.24.4.2',
          'OS-EXT-IPS:type': 'floating',
          'OS-EXT-IPS-MAC:mac_addr': '00:0c:29:0d:11:74',
        },
      ],
    });
    for (const k of [
      'locked',
      'host_status',
      'description',
      'tags',
      'OS-EXT-SRV-ATTR:host',
      'pinned_availability_zone',
    ])
      assert.equal(k in v, false, k);
  });

  it('extended attributes for admins, more of them from 2.3', () => {
    const v21 = serverDetail(instance(), extras, opts('2.1', { extendedAttributes: true }));
    assert.equal(v21['OS-EXT-SRV-ATTR:host'], 'compute');
    assert.equal(v21['OS-EXT-SRV-ATTR:instance_name'], 'instance-00000001');
    assert.equal(v21['OS-EXT-SRV-ATTR:hypervisor_hostname'], 'fake-mini');
    assert.equal('OS-EXT-SRV-ATTR:reservation_id' in v21, false);
    const v23 = serverDetail(instance(), extras, opts('2.3', { extendedAttributes: true }));
    assert.equal(v23['OS-EXT-SRV-ATTR:reservation_id'], 'r-ov3q80zj');
    assert.equal(v23['OS-EXT-SRV-ATTR:user_data'], null);
    assert.deepEqual(v23['os-extended-volumes:volumes_attached'], extras.volumes);
  });

  it('2.16: host_status by policy (all, or only UNKNOWN)', () => {
    assert.equal(serverDetail(instance(), extras, opts('2.16', { hostStatus: 'all' })).host_status, 'UP');
    const unknownOnly = opts('2.16', { hostStatus: 'unknown-only' });
    assert.equal('host_status' in serverDetail(instance(), extras, unknownOnly), false);
    const down = serverDetail(instance(), { ...extras, hostStatus: 'UNKNOWN' }, unknownOnly);
    assert.equal(down.host_status, 'UNKNOWN');
    assert.equal(serverDetail(instance({ locked_by: 'admin' }), extras, opts('2.16')).locked, true);
  });

  it('2.47: embedded flavor, extra specs by policy', () => {
    const f = { ...instance().flavor, extra_specs: { 'hw:cpu_policy': 'dedicated' } };
    const v = serverDetail(instance({ flavor: f }), extras, opts('2.47'));
    assert.deepEqual(v.flavor, {
      vcpus: 1,
      ram: 512,
      disk: 1,
      ephemeral: 0,
      swap: 0,
      original_name: 'm1.tiny',
      extra_specs: { 'hw:cpu_policy': 'dedicated' },
    });
    const noSpecs = serverDetail(instance({ flavor: f }), extras, opts('2.47', { extraSpecs: false }));
    assert.equal('extra_specs' in (noSpecs.flavor as object), false);
  });

  it('2.73: locked_reason from system metadata; 2.90 hostname for everyone', () => {
    const inst = instance({ locked_by: 'owner', system_metadata: { locked_reason: 'maintenance' } });
    const v = serverDetail(inst, extras, opts('2.73'));
    assert.equal(v.locked_reason, 'maintenance');
    assert.deepEqual(v.tags, []);
    assert.equal(v.trusted_image_certificates, null);
    assert.equal('OS-EXT-SRV-ATTR:hostname' in v, false);
    assert.equal(
      serverDetail(instance(), extras, opts('2.90'))['OS-EXT-SRV-ATTR:hostname'],
      'new-server-test',
    );
  });

  it('2.96 to 2.100: pinned zone, image properties, scheduler hints, server groups on show', () => {
    const v = serverDetail(instance(), extras, opts('2.100', { show: true }));
    assert.equal(v.pinned_availability_zone, 'us-west');
    assert.deepEqual((v.image as { properties: unknown }).properties, {
      architecture: 'x86_64',
      auto_disk_config: 'True',
    });
    assert.deepEqual(v.scheduler_hints, { same_host: ['48e6a9f6-30af-47e0-bc04-acaed113bb4e'] });
    assert.deepEqual(v.server_groups, []);
    const listed = serverDetail(instance(), { ...extras, spec: undefined }, opts('2.100'));
    assert.equal(listed.scheduler_hints, null);
    assert.equal(listed.pinned_availability_zone, null);
    assert.equal('server_groups' in listed, false);
    assert.equal('properties' in (serverDetail(instance(), extras, opts('2.96')).image as object), false);
  });

  it('volume-backed servers have image "", building ones no addresses', () => {
    const v = serverDetail(
      instance({ image_ref: '', vm_state: 'building', task_state: 'scheduling' }),
      extras,
      opts('2.1'),
    );
    assert.equal(v.image, '');
    assert.equal(v.status, 'BUILD');
    assert.deepEqual(v.addresses, {});
    assert.deepEqual(
      addressesView({
        vm_state: 'active',
        network_info: [{ id: 'x', address: 'aa', fixed_ips: ['10.1.0.4'], network_id: 'n9' }],
      }),
      {
        n9: [{ version: 4, addr: '10.1.0.4', 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'aa' }],
      },
    );
  });

  it('fault on ERROR servers: details only for admins when the code is 500', () => {
    const fault = {
      code: 500,
      message: 'NoValidHost',
      details: 'trace',
      host: null,
      created_at: new Date('2013-09-03T04:01:40Z'),
    };
    const inst = instance({ vm_state: 'error', fault });
    const user = serverDetail(inst, extras, opts('2.1'));
    assert.deepEqual(user.fault, { code: 500, created: '2013-09-03T04:01:40Z', message: 'NoValidHost' });
    assert.equal('progress' in user, false);
    assert.equal(
      (serverDetail(inst, extras, opts('2.1', { admin: true })).fault as { details: string }).details,
      'trace',
    );
    const notFound = serverDetail(
      instance({ vm_state: 'error', fault: { ...fault, code: 404 } }),
      extras,
      opts('2.1'),
    );
    assert.equal((notFound.fault as { details: string }).details, 'trace');
    assert.equal('fault' in serverDetail(instance({ fault }), extras, opts('2.1')), false);
  });
});
