// The explicit command registry. Modules load lazily so short commands (nova-manage) start fast.

export interface Command {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly summary: string;
  readonly hidden?: boolean;
  run(argv: readonly string[]): Promise<number | undefined>;
}

export const COMMANDS: readonly Command[] = [
  {
    name: 'all-in-one',
    summary: 'every role in one process (SQLite, in-process messaging): what `npm start` runs',
    run: async (a) => (await import('./all-in-one.ts')).run(a),
  },
  {
    name: 'api',
    aliases: ['nova-api', 'osapi_compute'],
    summary: 'nova-api: the Compute API on [DEFAULT] osapi_compute_listen:osapi_compute_listen_port (8774)',
    run: async (a) => (await import('./nova-api.ts')).run(a),
  },
  {
    name: 'api-metadata',
    aliases: ['nova-api-metadata', 'metadata'],
    summary:
      'nova-api-metadata: the metadata API for guests on [DEFAULT] metadata_listen:metadata_listen_port (8775)',
    run: async (a) => (await import('./nova-api-metadata.ts')).run(a),
  },
  {
    name: 'conductor',
    aliases: ['nova-conductor'],
    summary: 'nova-conductor: builds and moves instances; the database road for computes',
    run: async (a) => (await import('./nova-conductor.ts')).run(a),
  },
  {
    name: 'scheduler',
    aliases: ['nova-scheduler'],
    summary: 'nova-scheduler: picks hosts for instances',
    run: async (a) => (await import('./nova-scheduler.ts')).run(a),
  },
  {
    name: 'compute',
    aliases: ['nova-compute'],
    summary: 'nova-compute: one per hypervisor host',
    run: async (a) => (await import('./nova-compute.ts')).run(a),
  },
  {
    name: 'novncproxy',
    aliases: ['nova-novncproxy'],
    summary: 'nova-novncproxy: the noVNC console proxy (port 6080)',
    run: async (a) => (await import('./nova-novncproxy.ts')).run(a),
  },
  {
    name: 'serialproxy',
    aliases: ['nova-serialproxy'],
    summary: 'nova-serialproxy: the serial console websocket proxy (port 6083)',
    run: async (a) => (await import('./nova-serialproxy.ts')).run(a),
  },
  {
    name: 'placement',
    aliases: ['placement-api'],
    summary: 'placement-api: the placement API on [placement_api] listen:port (8778)',
    run: async (a) => (await import('./placement.ts')).run(a),
  },
  {
    name: 'manage',
    aliases: ['nova-manage'],
    summary: 'nova-manage: databases, cells v2, services',
    run: async (a) => (await import('./nova-manage/index.ts')).run(a),
  },
  {
    name: 'image',
    summary:
      'the image service: `image serve` (Glance v2 subset on port 9292), `image build-tiny` (a bootable test guest)',
    run: async (a) => (await import('./image.ts')).run(a),
  },
  {
    name: 'network',
    summary: 'the network service: `network serve` (Neutron v2.0 subset on port 9696)',
    run: async (a) => (await import('./network.ts')).run(a),
  },
  {
    name: 'identity',
    summary:
      'embedded identity service: `identity bootstrap` (keystone-manage bootstrap), `identity rotate-keys`',
    run: async (a) => (await import('./identity.ts')).run(a),
  },
  {
    name: 'config',
    summary: 'configuration tools: `nova-ts config sample` writes a commented nova.conf of every option',
    run: async (a) => (await import('./config.ts')).run(a),
  },
];
