// nova-ts's own groups, for the services upstream Nova leaves to other projects and nova-ts can run
// itself: [identity] (a Keystone v3 subset), [image] (a Glance v2 subset with a file store) and
// [placement_api] (the placement API server; its database is [placement_database]). Off by
// default; the all-in-one turns them on. Their listen addresses follow upstream's 0.0.0.0.
import { defineGroup } from '../group.ts';
import { boolOpt, hostAddressOpt, intOpt, pathOpt, portOpt, strOpt, uriOpt } from '../opt.ts';

export const identityGroup = defineGroup(
  'identity',
  'Embedded identity service',
  'The Keystone v3 subset nova-ts can serve itself. With it off, tokens are checked against the ' +
    'Keystone named in [keystone_authtoken].',
  {
    enabled: boolOpt({ help: 'Serve the identity API from this process.', default: false }),
    listen: hostAddressOpt({ help: 'Address the identity API listens on.', default: '0.0.0.0' }),
    port: portOpt({ help: 'Port the identity API listens on (/v3).', default: 5000 }),
    public_endpoint: uriOpt({
      help: 'Base URL of the identity API as clients see it; unset means built from the listen address.',
    }),
    connection: strOpt({
      help: 'Database URL of the identity service.',
      default: 'sqlite:///$state_path/identity.sqlite',
      secret: true,
    }),
    region_name: strOpt({ help: 'Region the catalog entries are registered in.', default: 'RegionOne' }),
    token_expiration: intOpt({ help: 'Seconds an issued token is valid.', default: 3600, min: 1 }),
    bootstrap_username: strOpt({ help: 'Admin user created on first start.', default: 'admin' }),
    bootstrap_password: strOpt({
      help: 'Password of the bootstrap admin user.',
      secret: true,
    }),
    bootstrap_project_name: strOpt({ help: 'Project of the bootstrap admin user.', default: 'admin' }),
  },
);

export const imageGroup = defineGroup(
  'image',
  'Embedded image service',
  'The Glance v2 subset nova-ts can serve itself, storing image data in a directory.',
  {
    enabled: boolOpt({ help: 'Serve the image API from this process.', default: false }),
    listen: hostAddressOpt({ help: 'Address the image API listens on.', default: '0.0.0.0' }),
    port: portOpt({ help: 'Port the image API listens on (/v2).', default: 9292 }),
    public_endpoint: uriOpt({
      help: 'Base URL of the image API as clients see it; unset means built from the listen address.',
    }),
    connection: strOpt({
      help: 'Database URL of the image service.',
      default: 'sqlite:///$state_path/image.sqlite',
      secret: true,
    }),
    filesystem_store_datadir: pathOpt({
      help: 'Directory image data is stored in (Glance file store).',
      default: '$state_path/images',
    }),
    image_size_cap: intOpt({ help: 'Largest image accepted, in bytes.', default: 1099511627776, min: 1 }),
  },
);

export const placementApiGroup = defineGroup(
  'placement_api',
  'Embedded placement service',
  'The placement API nova-ts can serve itself. Its data lives in [placement_database]; Nova ' +
    'services reach it through [placement] like any placement.',
  {
    enabled: boolOpt({ help: 'Serve the placement API from this process.', default: false }),
    listen: hostAddressOpt({ help: 'Address the placement API listens on.', default: '0.0.0.0' }),
    port: portOpt({ help: 'Port the placement API listens on.', default: 8778 }),
    public_endpoint: uriOpt({
      help: 'Base URL of the placement API as clients see it; unset means built from the listen address.',
    }),
    workers: intOpt({ help: 'Worker processes of the placement API; unset means one.', min: 1 }),
  },
);
