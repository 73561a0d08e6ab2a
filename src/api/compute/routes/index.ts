// Every Compute API route, as one explicit table (upstream's routes.py ROUTE_LIST). Add a
// resource's routes here.
import { GONE_ROUTES } from '../routing/gone.ts';
import type { RouteTable } from '../routing/route.ts';
import { AGGREGATE_ROUTES } from './aggregates.ts';
import { FLAVOR_EXTRA_SPEC_ROUTES } from './flavor-extra-specs.ts';
import { FLAVOR_ROUTES } from './flavors.ts';
import { FLOATING_IP_ROUTES } from './floating-ips.ts';
import { HYPERVISOR_ROUTES } from './hypervisors.ts';
import { IMAGE_ROUTES } from './images.ts';
import { INFRA_ROUTES } from './infra.ts';
import { INSTANCE_ACTION_ROUTES } from './instance-actions.ts';
import { KEYPAIR_ROUTES } from './keypairs.ts';
import { MIGRATION_ROUTES } from './migrations.ts';
import { PROXY_ROUTES } from './proxies.ts';
import { QUOTA_ROUTES } from './quotas.ts';
import { REMOTE_CONSOLE_ROUTES } from './remote-consoles.ts';
import { SECURITY_GROUP_ROUTES } from './security-groups.ts';
import { SERVER_ACTION_ROUTES } from './server-actions.ts';
import { SERVER_DIAGNOSTICS_ROUTES } from './server-diagnostics.ts';
import { SERVER_GROUP_ROUTES } from './server-groups.ts';
import { SERVER_INTERFACE_ROUTES } from './server-interfaces.ts';
import { SERVER_IPS_ROUTES } from './server-ips.ts';
import { SERVER_METADATA_ROUTES } from './server-metadata.ts';
import { SERVER_MIGRATION_ROUTES } from './server-migrations.ts';
import { SERVER_PASSWORD_ROUTES } from './server-password.ts';
import { SERVER_TAG_ROUTES } from './server-tags.ts';
import { SERVER_WRITE_ROUTES } from './servers.ts';
import { SERVER_READ_ROUTES } from './servers-read.ts';
import { SERVICE_ROUTES } from './services.ts';
import { USAGE_ROUTES } from './usage.ts';

export const COMPUTE_ROUTES: RouteTable = Object.freeze([
  ...FLAVOR_ROUTES,
  ...FLAVOR_EXTRA_SPEC_ROUTES,
  ...KEYPAIR_ROUTES,
  ...QUOTA_ROUTES,
  ...INFRA_ROUTES,
  ...AGGREGATE_ROUTES,
  ...SERVER_GROUP_ROUTES,
  ...SERVICE_ROUTES,
  ...HYPERVISOR_ROUTES,
  ...USAGE_ROUTES,
  ...MIGRATION_ROUTES,
  ...IMAGE_ROUTES,
  ...FLOATING_IP_ROUTES,
  ...SECURITY_GROUP_ROUTES,
  ...PROXY_ROUTES,
  ...SERVER_METADATA_ROUTES,
  ...SERVER_TAG_ROUTES,
  ...INSTANCE_ACTION_ROUTES,
  ...SERVER_PASSWORD_ROUTES,
  ...SERVER_DIAGNOSTICS_ROUTES,
  ...SERVER_READ_ROUTES,
  ...REMOTE_CONSOLE_ROUTES,
  ...SERVER_WRITE_ROUTES,
  ...SERVER_ACTION_ROUTES,
  ...SERVER_IPS_ROUTES,
  ...SERVER_INTERFACE_ROUTES,
  ...SERVER_MIGRATION_ROUTES,
  ...GONE_ROUTES,
]);
