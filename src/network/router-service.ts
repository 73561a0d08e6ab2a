// Routers' gateways and interfaces: a gateway is a port on an external network (owned by no
// project), an interface a port on a tenant subnet holding its gateway address. Shared by the
// router API and auto-allocated topologies.
import type { NetCtx } from './context.ts';
import { conflict, NeutronFault, notFound, portInUse } from './faults.ts';
import { overlaps, parseCidr } from './ip.ts';
import type { IpRequest } from './ipam.ts';
import {
  type Network,
  OWNER_ROUTER_GATEWAY,
  OWNER_ROUTER_INTERFACE,
  type Port,
  type Router,
  type Subnet,
} from './model.ts';
import { createPort } from './port-service.ts';
import { findNetwork } from './repo/networks.ts';
import { deletePortRow, findPort, portsWhere, updatePort } from './repo/ports.ts';
import { findRouter, floatingIpsOfRouter, updateRouter } from './repo/routers.ts';
import { findSubnet } from './repo/subnets.ts';
import type { GatewayInfo } from './views.ts';

export const badRouter = (msg: string) => new NeutronFault('BadRequest', 400, `Bad router request: ${msg}.`);

export async function gatewayOf(ctx: NetCtx, r: Router): Promise<GatewayInfo | null> {
  if (!r.gw_port_id) return null;
  const port = await findPort(ctx.db, r.gw_port_id);
  if (!port) return null;
  return { network_id: port.network_id, enable_snat: r.enable_snat, external_fixed_ips: port.fixed_ips };
}

export const interfacesOf = (ctx: NetCtx, routerId: string) =>
  portsWhere(ctx.db, { device_id: routerId, device_owner: OWNER_ROUTER_INTERFACE });

export interface GatewayRequest {
  readonly network_id: string;
  readonly enable_snat?: boolean;
  readonly external_fixed_ips?: readonly IpRequest[];
}

async function dropGateway(ctx: NetCtx, r: Router): Promise<void> {
  if (!r.gw_port_id) return;
  const gw = await findPort(ctx.db, r.gw_port_id);
  if ((await floatingIpsOfRouter(ctx.db, r.id)).length > 0)
    throw conflict(
      'RouterExternalGatewayInUseByFloatingIp',
      `Gateway cannot be updated for router ${r.id}, since a gateway to external network ${gw?.network_id} is required by one or more floating IPs.`,
    );
  await updateRouter(ctx.db, r, { gw_port_id: null }, ctx.clock.now());
  if (gw) await deletePortRow(ctx.db, gw.id);
}

/** Sets, changes (enable_snat only when the network stays) or clears the router's gateway. */
export async function setGateway(ctx: NetCtx, router: Router, info: GatewayRequest | null): Promise<Router> {
  const current = await gatewayOf(ctx, router);
  if (info === null) {
    await dropGateway(ctx, router);
    return (await findRouter(ctx.db, router.id)) as Router;
  }
  const net = await findNetwork(ctx.db, info.network_id);
  if (!net) throw notFound('NetworkNotFound', `Network ${info.network_id} could not be found.`);
  if (!net.external) throw badRouter(`Network ${net.id} is not an external network`);
  if (current && current.network_id === net.id && !info.external_fixed_ips) {
    await updateRouter(
      ctx.db,
      router,
      { enable_snat: info.enable_snat ?? router.enable_snat },
      ctx.clock.now(),
    );
    return (await findRouter(ctx.db, router.id)) as Router;
  }
  await dropGateway(ctx, router);
  const fresh = (await findRouter(ctx.db, router.id)) as Router;
  const port = await createPort(ctx, {
    project_id: '',
    network: net,
    device_id: router.id,
    device_owner: OWNER_ROUTER_GATEWAY,
    counted: false,
    ...(info.external_fixed_ips ? { fixed_ips: info.external_fixed_ips } : {}),
  });
  await updateRouter(
    ctx.db,
    fresh,
    { gw_port_id: port.id, enable_snat: info.enable_snat ?? true },
    ctx.clock.now(),
  );
  return (await findRouter(ctx.db, router.id)) as Router;
}

export interface InterfaceInfo {
  readonly id: string;
  readonly tenant_id: string;
  readonly project_id: string;
  readonly port_id: string;
  readonly network_id: string;
  readonly subnet_id: string;
  readonly subnet_ids: readonly string[];
}

const infoOf = (r: Router, p: Port): InterfaceInfo => ({
  id: r.id,
  tenant_id: r.project_id,
  project_id: r.project_id,
  port_id: p.id,
  network_id: p.network_id,
  subnet_id: p.fixed_ips[0]?.subnet_id ?? '',
  subnet_ids: p.fixed_ips.map((f) => f.subnet_id),
});

async function checkNoOverlap(ctx: NetCtx, router: Router, subnet: Subnet) {
  const mine = parseCidr(subnet.cidr);
  for (const p of await interfacesOf(ctx, router.id))
    for (const f of p.fixed_ips) {
      if (f.subnet_id === subnet.id) throw badRouter(`Router already has a port on subnet ${subnet.id}`);
      const other = await findSubnet(ctx.db, f.subnet_id);
      const theirs = other ? parseCidr(other.cidr) : undefined;
      if (mine && theirs && other && overlaps(mine, theirs))
        throw badRouter(
          `Cidr ${subnet.cidr} of subnet ${subnet.id} overlaps with cidr ${other.cidr} of subnet ${other.id}`,
        );
    }
}

/** Plugs the router into a subnet (a new port on its gateway address) or an existing port. */
export async function addInterface(
  ctx: NetCtx,
  router: Router,
  target: { subnet?: { subnet: Subnet; network: Network }; port?: Port },
): Promise<InterfaceInfo> {
  if (target.port) {
    const p = target.port;
    if (p.device_id !== '') throw portInUse(p.network_id, p.id, p.device_id);
    if (p.fixed_ips.length === 0) throw badRouter('Router port must have at least one fixed IP');
    for (const f of p.fixed_ips) {
      const s = await findSubnet(ctx.db, f.subnet_id);
      if (s) await checkNoOverlap(ctx, router, s);
    }
    await updatePort(
      ctx.db,
      p,
      { device_id: router.id, device_owner: OWNER_ROUTER_INTERFACE, status: 'ACTIVE' },
      ctx.clock.now(),
    );
    return infoOf(router, (await findPort(ctx.db, p.id)) as Port);
  }
  const { subnet, network } = target.subnet as { subnet: Subnet; network: Network };
  if (network.external) throw badRouter(`Router interface cannot be added on external network ${network.id}`);
  if (!subnet.gateway_ip) throw badRouter(`Subnet for router interface must have a gateway IP`);
  await checkNoOverlap(ctx, router, subnet);
  const port = await createPort(ctx, {
    project_id: router.project_id,
    network,
    fixed_ips: [{ subnet_id: subnet.id, ip_address: subnet.gateway_ip }],
    device_id: router.id,
    device_owner: OWNER_ROUTER_INTERFACE,
    counted: false,
  });
  return infoOf(router, port);
}

/** Unplugs the router from a subnet or port; refused while floating IPs route through it. */
export async function removeInterface(
  ctx: NetCtx,
  router: Router,
  by: { subnet_id?: string; port_id?: string },
): Promise<InterfaceInfo> {
  const ports = await interfacesOf(ctx, router.id);
  const port = by.port_id
    ? ports.find((p) => p.id === by.port_id)
    : ports.find((p) => p.fixed_ips.some((f) => f.subnet_id === by.subnet_id));
  if (!port && by.port_id)
    throw notFound(
      'RouterInterfaceNotFound',
      `Router ${router.id} does not have an interface with id ${by.port_id}`,
    );
  if (!port)
    throw notFound(
      'RouterInterfaceNotFoundForSubnet',
      `Router ${router.id} has no interface on subnet ${by.subnet_id}`,
    );
  if (by.port_id && by.subnet_id && !port.fixed_ips.some((f) => f.subnet_id === by.subnet_id))
    throw notFound('SubnetNotFound', `Subnet ${by.subnet_id} could not be found.`);
  const subnets = new Set(port.fixed_ips.map((f) => f.subnet_id));
  for (const fip of await floatingIpsOfRouter(ctx.db, router.id)) {
    const fixedPort = fip.fixed_port_id ? await findPort(ctx.db, fip.fixed_port_id) : undefined;
    const via = fixedPort?.fixed_ips.find((f) => f.ip_address === fip.fixed_ip_address);
    if (via && subnets.has(via.subnet_id))
      throw conflict(
        'RouterInterfaceInUseByFloatingIP',
        `Router interface for subnet ${via.subnet_id} on router ${router.id} cannot be deleted, as it is required by one or more floating IPs.`,
      );
  }
  const info = infoOf(router, port);
  await deletePortRow(ctx.db, port.id);
  return info;
}

/** The router that connects the subnet to the external network, for a floating IP. */
export async function routerFor(
  ctx: NetCtx,
  subnetId: string,
  externalNetworkId: string,
): Promise<Router | undefined> {
  const ifaces = await portsWhere(ctx.db, { device_owner: OWNER_ROUTER_INTERFACE });
  for (const p of ifaces) {
    if (!p.fixed_ips.some((f) => f.subnet_id === subnetId)) continue;
    const r = await findRouter(ctx.db, p.device_id);
    const gw = r ? await gatewayOf(ctx, r) : null;
    if (r && gw?.network_id === externalNetworkId) return r;
  }
  return undefined;
}
