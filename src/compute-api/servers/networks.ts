// The `networks` of POST /servers checked against the network service with the caller's token, as
// upstream's validate_networks: a network or port the caller cannot see is a 400, a port another
// device holds a 409, and `auto` with more than one network to choose from a 409. Without a
// network service (none in the token's catalog, no [neutron] endpoint) a named network or port is
// unknown, and `auto`/`none` build without a network. Security groups named are checked the same way.
import type { AuthContext } from '../../auth/types.ts';
import type { RequestedNetwork } from '../../compute/rpcapi.ts';
import type { NovaConf } from '../../config/index.ts';
import { Conflict, Invalid } from '../../faults/fault.ts';
import { type NetworkClient, NetworkServiceError } from '../../network-client/client.ts';
import { callerNetworkClient } from '../../network-client/endpoint.ts';

/**
 * Every named group (name or id) exists in the caller's project (upstream: 400
 * SecurityGroupNotFoundForProject); without a network service only `default` exists.
 */
async function checkSecurityGroups(
  client: NetworkClient | undefined,
  auth: AuthContext,
  names: readonly string[],
) {
  if (!client) {
    const other = names.find((n) => n !== 'default');
    if (other) throw new Invalid(`Security group ${other} not found.`, 'nova.security_group_not_found');
    return;
  }
  const mine = await client.listSecurityGroups({ project_id: auth.project_id ?? '' });
  for (const name of names)
    if (!mine.some((g) => g.name === name || g.id === name))
      throw new Invalid(
        `Security group ${name} not found for project ${auth.project_id}.`,
        'nova.security_group_not_found',
      );
}

const notFound = (err: unknown) => err instanceof NetworkServiceError && err.httpStatus === 404;

export async function checkRequestedNetworks(
  conf: NovaConf,
  auth: AuthContext,
  requested: readonly RequestedNetwork[] | 'auto' | 'none',
  securityGroups?: readonly string[],
): Promise<void> {
  const client = callerNetworkClient(conf, auth);
  if (securityGroups && securityGroups.length > 0) await checkSecurityGroups(client, auth, securityGroups);
  if (requested === 'none') return;
  if (requested === 'auto') {
    if (!client) return;
    const nets = (await client.listNetworks({ 'router:external': 'False' })).filter(
      (n) => n.project_id === auth.project_id || n.shared === true,
    );
    if (nets.length > 1)
      throw new Conflict(
        'Multiple possible networks found, use a Network ID to be more specific.',
        'nova.network_ambiguous',
      );
    return;
  }
  for (const r of requested) {
    if (r.port_id) {
      if (!client) throw new Invalid(`Port ${r.port_id} could not be found.`, 'nova.port_not_found');
      const port = await client.showPort(r.port_id).catch((err: unknown) => {
        if (notFound(err)) throw new Invalid(`Port ${r.port_id} could not be found.`, 'nova.port_not_found');
        throw err;
      });
      if (typeof port.device_id === 'string' && port.device_id !== '')
        throw new Conflict(`Port ${r.port_id} is still in use.`, 'nova.port_in_use');
    } else if (r.network_id) {
      if (!client) throw new Invalid(`Network ${r.network_id} could not be found.`, 'nova.network_not_found');
      await client.showNetwork(r.network_id).catch((err: unknown) => {
        if (notFound(err))
          throw new Invalid(`Network ${r.network_id} could not be found.`, 'nova.network_not_found');
        throw err;
      });
    }
  }
}
