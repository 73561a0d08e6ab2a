// Making and changing ports, shared by the port API and the service's own ports (router
// interfaces and gateways, floating IPs): addresses through IPAM with the retry loop, a MAC,
// security groups (the project's default unless told otherwise) and the host binding.
import { newUuid } from '../common/ids.ts';
import { statusEvents } from './agents.ts';
import type { Db, NetCtx } from './context.ts';
import { conflict, ipGenerationFailure, macInUse, portNotFound } from './faults.ts';
import { checkRequestedFree, explicitAddresses, type IpRequest, planAddresses } from './ipam.ts';
import { type AddressPair, isNetworkOwned, type Network, type Port } from './model.ts';
import {
  findPort,
  insertPort,
  macTaken,
  type PortChanges,
  replaceAllocations,
  setPortGroups,
  updatePort,
  withAllocationRetry,
} from './repo/ports.ts';
import { checkQuota } from './repo/quotas.ts';
import { ensureDefaultGroup } from './repo/security-groups.ts';
import { subnetsOf } from './repo/subnets.ts';

export interface PortRequest {
  readonly project_id: string;
  readonly network: Network;
  readonly name?: string;
  readonly description?: string;
  readonly admin_state_up?: boolean;
  readonly mac_address?: string;
  readonly fixed_ips?: readonly IpRequest[];
  readonly device_id?: string;
  readonly device_owner?: string;
  /** Group ids (already checked); undefined: the project's default group. */
  readonly security_groups?: readonly string[];
  readonly port_security_enabled?: boolean;
  readonly allowed_address_pairs?: readonly AddressPair[];
  readonly binding_host_id?: string;
  readonly binding_vnic_type?: string;
  readonly binding_profile?: Readonly<Record<string, unknown>>;
  /** Count the port against the project's quota (false for the service's own ports). */
  readonly counted?: boolean;
}

/**
 * What a binding to `host` looks like: a Linux bridge per network (brq + 11 characters of its id).
 * A host whose agent is alive wires the port and reports it up: until then the port is DOWN.
 */
export function bindingFor(ctx: NetCtx, host: string, networkId: string, deviceOwner: string) {
  if (host === '')
    return {
      binding_vif_type: 'unbound',
      binding_vif_details: {},
      status: isNetworkOwned(deviceOwner) ? 'ACTIVE' : 'DOWN',
    };
  return {
    binding_vif_type: 'bridge',
    binding_vif_details: {
      port_filter: true,
      connectivity: 'l2',
      bridge_name: `brq${networkId.slice(0, 11)}`,
    },
    status: ctx.agents.serves(host) && !isNetworkOwned(deviceOwner) ? 'DOWN' : 'ACTIVE',
  };
}

async function groupsFor(ctx: NetCtx, r: PortRequest, portSecurity: boolean): Promise<string[]> {
  if (isNetworkOwned(r.device_owner ?? '') || !portSecurity) {
    if (r.security_groups && r.security_groups.length > 0)
      throw conflict(
        'PortSecurityAndIPRequiredForSecurityGroups',
        'Port security must be enabled and port must have an IP address in order to use security groups.',
      );
    return [];
  }
  if (r.security_groups !== undefined) return [...r.security_groups];
  return [await ensureDefaultGroup(ctx.db, r.project_id, ctx.clock.now())];
}

function checkPairs(pairs: readonly AddressPair[] | undefined, portSecurity: boolean) {
  if (pairs && pairs.length > 0 && !portSecurity)
    throw conflict(
      'AddressPairAndPortSecurityRequired',
      'Port Security must be enabled in order to have allowed address pairs on a port.',
    );
}

/** The explicit addresses and MAC of a request: refused with a 409 when already taken. */
async function explainConflict(
  db: Db,
  network: Network,
  explicit: Parameters<typeof checkRequestedFree>[2],
  mac?: string,
) {
  await checkRequestedFree(db, network.id, explicit);
  if (mac && (await macTaken(db, network.id, mac))) throw macInUse(network.id, mac);
}

export async function createPort(ctx: NetCtx, r: PortRequest): Promise<Port> {
  const network = r.network;
  const subnets = await subnetsOf(ctx.db, network.id);
  const explicit = explicitAddresses(network.id, subnets, r.fixed_ips);
  await explainConflict(ctx.db, network, explicit, r.mac_address);
  const portSecurity = r.port_security_enabled ?? network.port_security_enabled;
  checkPairs(r.allowed_address_pairs, portSecurity);
  const groups = await groupsFor(ctx, r, portSecurity);
  const deviceOwner = r.device_owner ?? '';
  const host = r.binding_host_id ?? '';
  const id = newUuid();
  await withAllocationRetry(
    ctx.db,
    async (trx, attempt) => {
      if (r.counted !== false) await checkQuota(trx, 'port', r.project_id);
      const fixed = await planAddresses(trx, network.id, subnets, r.fixed_ips, attempt);
      await insertPort(
        trx,
        {
          id,
          project_id: r.project_id,
          network_id: network.id,
          name: r.name ?? '',
          description: r.description ?? '',
          admin_state_up: r.admin_state_up ?? true,
          device_id: r.device_id ?? '',
          device_owner: deviceOwner,
          port_security_enabled: portSecurity,
          binding_host_id: host,
          binding_vnic_type: r.binding_vnic_type ?? 'normal',
          binding_profile: r.binding_profile ?? {},
          allowed_address_pairs: r.allowed_address_pairs ?? [],
          security_groups: groups,
          ...bindingFor(ctx, host, network.id, deviceOwner),
          ...(r.mac_address ? { mac_address: r.mac_address } : {}),
        },
        fixed,
        ctx.clock.now(),
      );
    },
    () => explainConflict(ctx.db, network, explicit, r.mac_address),
    () => ipGenerationFailure(network.id),
  );
  const port = await findPort(ctx.db, id);
  if (!port) throw portNotFound(id);
  ctx.nova?.notify(statusEvents({ ...port, status: 'DOWN' }, port.status));
  return port;
}

export interface PortUpdate extends PortChanges {
  readonly fixed_ips?: readonly IpRequest[];
  readonly security_groups?: readonly string[];
}

/** Applies an update: new addresses through IPAM (kept ones stay), groups, binding. */
export async function changePort(ctx: NetCtx, port: Port, network: Network, u: PortUpdate): Promise<Port> {
  const { fixed_ips, security_groups, ...changes } = u;
  const portSecurity = changes.port_security_enabled ?? port.port_security_enabled;
  checkPairs(changes.allowed_address_pairs ?? port.allowed_address_pairs, portSecurity);
  if (security_groups && security_groups.length > 0 && !portSecurity)
    throw conflict(
      'PortSecurityAndIPRequiredForSecurityGroups',
      'Port security must be enabled and port must have an IP address in order to use security groups.',
    );
  if (changes.mac_address && changes.mac_address !== port.mac_address) {
    if (port.binding_host_id !== '' && (changes.binding_host_id ?? port.binding_host_id) !== '')
      throw conflict(
        'PortBound',
        `Unable to complete operation on port ${port.id}, port is already bound, port type: ${port.binding_vif_type}, old_mac ${port.mac_address}, new_mac ${changes.mac_address}.`,
      );
    if (await macTaken(ctx.db, network.id, changes.mac_address))
      throw macInUse(network.id, changes.mac_address);
  }
  const host = changes.binding_host_id;
  const binding =
    host !== undefined ? bindingFor(ctx, host, network.id, changes.device_owner ?? port.device_owner) : {};
  const subnets = fixed_ips ? await subnetsOf(ctx.db, network.id) : [];
  const kept = new Set(port.fixed_ips.map((f) => f.ip_address));
  const explicit = fixed_ips
    ? explicitAddresses(network.id, subnets, fixed_ips).filter((f) => !kept.has(f.ip_address))
    : [];
  if (fixed_ips) await checkRequestedFree(ctx.db, network.id, explicit);
  await withAllocationRetry(
    ctx.db,
    async (trx, attempt) => {
      await updatePort(trx, port, { ...changes, ...binding }, ctx.clock.now());
      if (security_groups !== undefined) await setPortGroups(trx, port.id, security_groups);
      else if (portSecurity === false && port.security_groups.length > 0)
        await setPortGroups(trx, port.id, []);
      if (fixed_ips) {
        // Addresses the port keeps are released first so that asking for them again succeeds.
        await replaceAllocations(trx, port, []);
        const fixed = await planAddresses(trx, network.id, subnets, fixed_ips, attempt);
        await replaceAllocations(trx, port, fixed);
      }
    },
    () => checkRequestedFree(ctx.db, network.id, explicit),
    () => ipGenerationFailure(network.id),
  );
  const after = (await findPort(ctx.db, port.id)) as Port;
  ctx.nova?.notify(statusEvents({ ...after, status: port.status }, after.status));
  return after;
}
