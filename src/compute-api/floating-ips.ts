// The deprecated os-floating-ips / os-floating-ip-pools proxies (until 2.35) and the
// addFloatingIp / removeFloatingIp server actions, answered from the network service with the
// caller's token, as upstream's neutron proxy: pools are the external networks (named by name, else
// id); a floating IP is shown as {id, ip, fixed_ip, instance_id, pool}, the instance being the
// device of its port.
import { isIP } from 'node:net';
import type { AuthContext } from '../auth/types.ts';
import type { NovaConf } from '../config/index.ts';
import { Conflict, Fault, Forbidden, Invalid, NotFound } from '../faults/fault.ts';
import { type Json, type NetworkClient, NetworkServiceError } from '../network-client/client.ts';
import { callerNetworkClient } from '../network-client/endpoint.ts';
import type { Instance } from '../objects/instance.ts';

export interface FloatingIpView {
  readonly id: string;
  readonly ip: string;
  readonly fixed_ip: string | null;
  readonly instance_id: string | null;
  readonly pool: string;
}

export function networkClientFor(conf: NovaConf, auth: AuthContext): NetworkClient {
  const c = callerNetworkClient(conf, auth);
  if (!c) throw new Conflict('No network service is configured.', 'nova.no_network_service');
  return c;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const poolName = (n: Json): string => str(n.name) || str(n.id);
const is404 = (err: unknown): boolean => err instanceof NetworkServiceError && err.httpStatus === 404;

async function views(c: NetworkClient, fips: readonly Json[]): Promise<FloatingIpView[]> {
  const nets = new Map<string, string>();
  const devices = new Map<string, string>();
  const netIds = [...new Set(fips.map((f) => str(f.floating_network_id)).filter(Boolean))];
  if (netIds.length) for (const n of await c.listNetworks({ id: netIds })) nets.set(str(n.id), poolName(n));
  const portIds = [...new Set(fips.map((f) => str(f.port_id)).filter(Boolean))];
  if (portIds.length)
    for (const p of await c.listPorts({ id: portIds })) devices.set(str(p.id), str(p.device_id));
  return fips.map((f) => {
    const netId = str(f.floating_network_id);
    const portId = str(f.port_id);
    return {
      id: str(f.id),
      ip: str(f.floating_ip_address),
      fixed_ip: str(f.fixed_ip_address) || null,
      instance_id: (portId && devices.get(portId)) || null,
      pool: nets.get(netId) ?? netId,
    };
  });
}

export async function listFloatingIps(conf: NovaConf, auth: AuthContext): Promise<FloatingIpView[]> {
  const c = networkClientFor(conf, auth);
  const filters: Record<string, string> = auth.project_id ? { tenant_id: auth.project_id } : {};
  return views(c, await c.listFloatingIps(filters));
}

async function getFip(c: NetworkClient, id: string): Promise<Json> {
  try {
    return await c.showFloatingIp(id);
  } catch (err) {
    if (is404(err)) throw new NotFound(`Floating IP not found for ID ${id}`, 'nova.floating_ip_not_found');
    throw err;
  }
}

export async function showFloatingIp(conf: NovaConf, auth: AuthContext, id: string): Promise<FloatingIpView> {
  const c = networkClientFor(conf, auth);
  return (await views(c, [await getFip(c, id)]))[0];
}

export async function listPools(conf: NovaConf, auth: AuthContext): Promise<{ name: string }[]> {
  const nets = await networkClientFor(conf, auth).listNetworks({ 'router:external': 'True' });
  return nets.map((n) => ({ name: poolName(n) }));
}

/** The external network named (or with the id) `pool`; 404 when none. */
async function poolNetwork(c: NetworkClient, pool: string): Promise<Json> {
  let nets = await c.listNetworks({ 'router:external': 'True', name: pool });
  if (!nets.length) nets = await c.listNetworks({ 'router:external': 'True', id: pool });
  if (!nets.length) throw new NotFound('Floating IP pool not found.', 'nova.floating_ip_pool_not_found');
  if (nets.length > 1)
    throw new Fault(`Multiple floating IP pools matches found for name '${pool}'`, 500, 'nova.fault');
  return nets[0];
}

/** Allocates from `pool`, else [neutron] default_floating_pool, else the only external network. */
export async function allocateFloatingIp(
  conf: NovaConf,
  auth: AuthContext,
  pool: string | null | undefined,
): Promise<FloatingIpView> {
  const c = networkClientFor(conf, auth);
  let net: Json;
  if (pool) net = await poolNetwork(c, pool);
  else {
    const externals = await c.listNetworks({ 'router:external': 'True' });
    const byDefault = externals.filter((n) => str(n.name) === conf.neutron.default_floating_pool);
    const candidates = byDefault.length ? byDefault : externals;
    if (candidates.length !== 1)
      throw new NotFound('Floating IP pool not found.', 'nova.floating_ip_pool_not_found');
    net = candidates[0];
  }
  const name = poolName(net);
  try {
    const fip = await c.createFloatingIp({
      floating_network_id: str(net.id),
      ...(auth.project_id ? { tenant_id: auth.project_id } : {}),
    });
    return (await views(c, [fip]))[0];
  } catch (err) {
    if (err instanceof NetworkServiceError) {
      if (err.type === 'OverQuota' || err.httpStatus === 409)
        throw new Forbidden(`IP allocation over quota in pool ${name}.`, 'nova.floating_ip_over_quota');
      if (err.type === 'IpAddressGenerationFailure' || err.type === 'ExternalIpAddressExhausted')
        throw new NotFound(`No more floating IPs in pool ${name}.`, 'nova.no_more_floating_ips');
    }
    throw err;
  }
}

export async function deallocateFloatingIp(conf: NovaConf, auth: AuthContext, id: string): Promise<void> {
  const c = networkClientFor(conf, auth);
  await getFip(c, id);
  try {
    await c.deleteFloatingIp(id);
  } catch (err) {
    if (is404(err)) throw new NotFound(`Floating IP not found for ID ${id}`, 'nova.floating_ip_not_found');
    throw err;
  }
}

async function fipByAddress(c: NetworkClient, address: string): Promise<Json> {
  const found = await c.listFloatingIps({ floating_ip_address: address });
  if (!found.length)
    throw new NotFound(`Floating IP not found for address ${address}.`, 'nova.floating_ip_not_found');
  return found[0];
}

/** addFloatingIp: the address onto the server's port holding `fixedAddress` (else its first IPv4). */
export async function associateFloatingIp(
  conf: NovaConf,
  auth: AuthContext,
  inst: Instance,
  address: string,
  fixedAddress: string | undefined,
): Promise<void> {
  const c = networkClientFor(conf, auth);
  const ports = await c.listPorts({ device_id: inst.uuid });
  const fixed = ports.flatMap((p) =>
    ((p.fixed_ips as Json[] | undefined) ?? []).map((f) => ({ port: str(p.id), ip: str(f.ip_address) })),
  );
  if (!fixed.length) throw new Invalid('No fixed IPs associated to instance');
  let chosen: { port: string; ip: string } | undefined;
  if (fixedAddress) {
    chosen = fixed.find((f) => f.ip === fixedAddress);
    if (!chosen) throw new Invalid('Specified fixed address not assigned to instance');
  } else {
    chosen = fixed.find((f) => isIP(f.ip) === 4);
    if (!chosen)
      throw new Invalid(
        `Unable to associate floating IP ${address} to any fixed IPs for instance ${inst.uuid}. ` +
          'Instance has no fixed IPv4 addresses to associate.',
      );
  }
  const fip = await fipByAddress(c, address);
  try {
    await c.updateFloatingIp(str(fip.id), { port_id: chosen.port, fixed_ip_address: chosen.ip });
  } catch (err) {
    if (err instanceof NetworkServiceError && err.httpStatus && err.httpStatus < 500)
      throw new Invalid(
        `Unable to associate floating IP ${address} to fixed IP ${chosen.ip} for instance ${inst.uuid}. ` +
          `Error: ${err.message}`,
      );
    throw err;
  }
}

/** removeFloatingIp: 409 unless the address is on one of this server's ports. */
export async function disassociateFloatingIp(
  conf: NovaConf,
  auth: AuthContext,
  inst: Instance,
  address: string,
): Promise<void> {
  const c = networkClientFor(conf, auth);
  const fip = await fipByAddress(c, address);
  const portId = str(fip.port_id);
  const device = portId ? str((await c.showPort(portId).catch(() => ({}) as Json)).device_id) : '';
  if (device !== inst.uuid)
    throw new Conflict(
      `Floating IP ${address} is not associated with instance ${inst.uuid}.`,
      'nova.floating_ip_not_associated',
    );
  await c.updateFloatingIp(str(fip.id), { port_id: null });
}
