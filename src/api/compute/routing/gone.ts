// APIs upstream removed and still answers 410 Gone for, at every microversion (agents, cells,
// certificates, cloudpipe, fixed IPs, floating-IP DNS and bulk, fping, nova-network's networks
// management, security group default rules, virtual interfaces, old consoles).
import { Gone } from '../faults/faults.ts';
import type { HttpMethod, RouteDef } from './route.ts';

const REMOVED: readonly (readonly [HttpMethod, string])[] = [
  ['GET', '/os-agents'],
  ['POST', '/os-agents'],
  ['PUT', '/os-agents/:id'],
  ['DELETE', '/os-agents/:id'],
  ['GET', '/os-cells'],
  ['POST', '/os-cells'],
  ['GET', '/os-cells/capacities'],
  ['GET', '/os-cells/detail'],
  ['GET', '/os-cells/info'],
  ['POST', '/os-cells/sync_instances'],
  ['GET', '/os-cells/:id'],
  ['PUT', '/os-cells/:id'],
  ['DELETE', '/os-cells/:id'],
  ['GET', '/os-cells/:id/capacities'],
  ['POST', '/os-certificates'],
  ['GET', '/os-certificates/:id'],
  ['GET', '/os-cloudpipe'],
  ['POST', '/os-cloudpipe'],
  ['PUT', '/os-cloudpipe/:id'],
  ['GET', '/os-fixed-ips/:id'],
  ['POST', '/os-fixed-ips/:id/action'],
  ['GET', '/os-floating-ip-dns'],
  ['PUT', '/os-floating-ip-dns/:id'],
  ['DELETE', '/os-floating-ip-dns/:id'],
  ['GET', '/os-floating-ip-dns/:domain_id/entries/:id'],
  ['PUT', '/os-floating-ip-dns/:domain_id/entries/:id'],
  ['DELETE', '/os-floating-ip-dns/:domain_id/entries/:id'],
  ['GET', '/os-floating-ips-bulk'],
  ['POST', '/os-floating-ips-bulk'],
  ['GET', '/os-floating-ips-bulk/:id'],
  ['PUT', '/os-floating-ips-bulk/:id'],
  ['GET', '/os-fping'],
  ['GET', '/os-fping/:id'],
  ['POST', '/os-networks'],
  ['POST', '/os-networks/add'],
  ['DELETE', '/os-networks/:id'],
  ['POST', '/os-networks/:id/action'],
  ['POST', '/os-tenant-networks'],
  ['DELETE', '/os-tenant-networks/:id'],
  ['GET', '/os-security-group-default-rules'],
  ['POST', '/os-security-group-default-rules'],
  ['GET', '/os-security-group-default-rules/:id'],
  ['DELETE', '/os-security-group-default-rules/:id'],
  ['GET', '/servers/:server_id/os-virtual-interfaces'],
  ['GET', '/servers/:server_id/consoles'],
  ['POST', '/servers/:server_id/consoles'],
  ['GET', '/servers/:server_id/consoles/:id'],
  ['DELETE', '/servers/:server_id/consoles/:id'],
];

export const GONE_ROUTES: readonly RouteDef[] = Object.freeze(
  REMOVED.map(([method, url]) => ({
    method,
    url,
    policy: { none: 'removed API' },
    handler: async () => {
      throw new Gone();
    },
  })),
);
