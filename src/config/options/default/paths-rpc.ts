// [DEFAULT]: where state lives, and the message bus (nova/conf/paths.py, rpc.py, oslo.messaging).
import { intOpt, pathOpt, strOpt } from '../../opt.ts';

export const pathOpts = {
  state_path: pathOpt({
    help:
      'Top-level directory for the state nova-ts keeps on disk (instances, images, SQLite files of ' +
      'the embedded services). NOVA_TS_STATE_PATH in the environment overrides the files.',
    default: '/var/lib/nova',
  }),
  instances_path: pathOpt({
    help: 'Where instance disks and files live.',
    default: '$state_path/instances',
  }),
};

export const rpcOpts = {
  transport_url: strOpt({
    help:
      'Message bus URL, e.g. rabbit://user:pass@host1:5672,user:pass@host2:5672/vhost. Unset means no ' +
      'bus is configured (upstream defaults to rabbit://); the all-in-one then uses its in-process ' +
      'transport. Old rabbit_* and rpc_backend settings are turned into this URL when it is unset.',
    secret: true,
  }),
  control_exchange: strOpt({ help: 'Exchange that RPC topics are scoped to.', default: 'nova' }),
  rpc_response_timeout: intOpt({ help: 'Seconds to wait for the reply to an RPC call.', default: 60 }),
  long_rpc_timeout: intOpt({
    help: 'Seconds to wait for the reply to RPC calls known to be slow (live migration checks, etc).',
    default: 1800,
  }),
  rpc_backend: strOpt({
    help:
      'Pre-transport_url name of the messaging driver (rabbit, kombu, nova.rpc.impl_kombu). Only used to ' +
      'build transport_url from the rabbit_* options when transport_url is unset.',
    deprecatedForRemoval: 'replaced by [DEFAULT] transport_url',
  }),
};
