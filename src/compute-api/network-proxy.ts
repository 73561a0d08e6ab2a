// The deprecated os-networks / os-tenant-networks proxies (until 2.35), answered from the network
// service as upstream's neutron proxy does: a network carries only its id and label (its name); the
// nova-network fields stay null (admins see the admin fields too), and os-tenant-networks' cidr is
// the string "None", as upstream's str() of the missing value.
import type { AuthContext } from '../auth/types.ts';
import type { NovaConf } from '../config/index.ts';
import { NotFound } from '../faults/fault.ts';
import { type Json, NetworkServiceError } from '../network-client/client.ts';
import { networkClientFor } from './floating-ips.ts';

const FIELDS = [
  'id',
  'cidr',
  'netmask',
  'gateway',
  'broadcast',
  'dns1',
  'dns2',
  'cidr_v6',
  'gateway_v6',
  'label',
  'netmask_v6',
] as const;
const ADMIN_FIELDS = [
  'created_at',
  'updated_at',
  'deleted_at',
  'deleted',
  'injected',
  'bridge',
  'vlan',
  'vpn_public_address',
  'vpn_public_port',
  'vpn_private_address',
  'dhcp_start',
  'project_id',
  'host',
  'bridge_interface',
  'multi_host',
  'priority',
  'rxtx_base',
  'mtu',
  'dhcp_server',
  'enable_dhcp',
  'share_address',
] as const;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** os-networks' view: id and label, every other nova-network field null. */
export function networkView(n: Json, admin: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) out[f] = null;
  if (admin) for (const f of ADMIN_FIELDS) out[f] = null;
  out.id = str(n.id);
  out.label = str(n.name);
  return out;
}

/** os-tenant-networks' view. */
export function tenantNetworkView(n: Json): { id: string; cidr: string; label: string } {
  return { id: str(n.id), cidr: 'None', label: str(n.name) };
}

export async function listNetworks(conf: NovaConf, auth: AuthContext): Promise<Json[]> {
  return networkClientFor(conf, auth).listNetworks();
}

export async function showNetwork(conf: NovaConf, auth: AuthContext, id: string): Promise<Json> {
  try {
    return await networkClientFor(conf, auth).showNetwork(id);
  } catch (err) {
    if (err instanceof NetworkServiceError && err.httpStatus === 404)
      throw new NotFound('Network not found', 'nova.network_not_found');
    throw err;
  }
}
