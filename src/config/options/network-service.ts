// [network_service] and [network_database]: the embedded network service (a Neutron API subset on
// 9696, /v2.0) and its database. Unlike the other embedded services it listens on 127.0.0.1 by
// default, so that a state directory made before it existed does not start serving on every address.
import { defineGroup } from '../group.ts';
import { hostAddressOpt, intOpt, portOpt, strOpt, uriOpt } from '../opt.ts';

export const networkServiceGroup = defineGroup(
  'network_service',
  'Embedded network service',
  'The Neutron API subset nova-ts serves itself: networks, subnets, ports with IPAM, security ' +
    'groups, routers, floating IPs and quotas. An operator with a real Neutron points [neutron] at it instead.',
  {
    listen: hostAddressOpt({ help: 'Address the network API listens on.', default: '127.0.0.1' }),
    port: portOpt({ help: 'Port the network API listens on (/v2.0).', default: 9696 }),
    public_endpoint: uriOpt({
      help: 'Base URL of the network API as clients see it; unset means built from the listen address.',
    }),
    global_physnet_mtu: intOpt({ help: 'MTU of new networks.', default: 1500, min: 68 }),
    nova_metadata_host: strOpt({
      help: 'Where the network agent finds the metadata API (nova-api-metadata) for its guests.',
      default: '127.0.0.1',
    }),
    nova_metadata_port: intOpt({ help: 'Port of the metadata API.', default: 8775, min: 1, max: 65535 }),
    agent_down_time: intOpt({
      help: "Seconds without a heartbeat after which an L2 agent is dead (its hosts' ports no longer wait for it).",
      default: 75,
      min: 1,
    }),
  },
);

export const networkDatabaseGroup = defineGroup(
  'network_database',
  'Network database',
  'The database of the embedded network service.',
  {
    connection: strOpt({
      help: 'Database URL of the network service (SQLAlchemy style, as [database] connection).',
      default: 'sqlite:///$state_path/network.sqlite',
      secret: true,
    }),
  },
);
