// [glance]: how Nova reaches the image API. Old configs set glance_api_servers, or glance_host /
// glance_port / glance_protocol, in [DEFAULT]; legacy/glance-api-servers.ts turns those into
// api_servers (adding http:// where no scheme is given, as Nova always did).
import { defineGroup, withDeprecated } from '../group.ts';
import { boolOpt, intOpt, listOpt, portOpt, strOpt } from '../opt.ts';
import { clientOpts } from './keystoneauth.ts';

export const glanceGroup = defineGroup('glance', 'Glance client', 'How Nova reaches the image API.', {
  ...withDeprecated(clientOpts('image'), {
    insecure: [{ group: 'DEFAULT', name: 'glance_api_insecure' }],
  }),
  api_servers: listOpt({
    help:
      'Image API endpoints (http://host:9292) to use instead of the catalog, tried in turn. Entries ' +
      'without a scheme get http://.',
    deprecated: [{ group: 'DEFAULT', name: 'glance_api_servers' }],
  }),
  host: strOpt({
    help: 'Image API host of old configs; used to build api_servers when that is unset.',
    deprecated: [{ group: 'DEFAULT', name: 'glance_host' }],
    deprecatedForRemoval: 'set [glance] api_servers or use the catalog',
  }),
  port: portOpt({
    help: 'Image API port of old configs (with host).',
    default: 9292,
    deprecated: [{ group: 'DEFAULT', name: 'glance_port' }],
  }),
  protocol: strOpt({
    help: 'Image API scheme of old configs (with host).',
    default: 'http',
    choices: ['http', 'https'],
    deprecated: [{ group: 'DEFAULT', name: 'glance_protocol' }],
  }),
  num_retries: intOpt({
    help: 'Retries of failed image uploads and downloads.',
    default: 3,
    min: 0,
    deprecated: [{ group: 'DEFAULT', name: 'glance_num_retries' }],
  }),
  verify_glance_signatures: boolOpt({ help: 'Check image signatures before booting.', default: false }),
  enable_certificate_validation: boolOpt({
    help: 'Validate the certificate of signed images.',
    default: false,
  }),
  default_trusted_certificate_ids: listOpt({
    help: 'Certificate IDs trusted to sign images when a request names none.',
    default: [],
  }),
  enable_rbd_download: boolOpt({ help: 'Download images straight from Ceph RBD.', default: false }),
  debug: boolOpt({ help: 'Log image API requests and responses.', default: false }),
});
