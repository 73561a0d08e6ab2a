// What nova/network/neutron.py's API does for a compute: allocate ports for a build (a network of
// the request, a port it names, or `auto`), bind them to this host, turn them into the network
// info cache (upstream's VIF → network → subnets → ips model), and let them go on delete (ports
// Nova made are deleted, ports the user gave are unbound and kept). Works against the embedded
// network service or any Neutron through NetworkClient.
import type { Logger } from '../common/log.ts';
import { Fault } from '../faults/fault.ts';
import type { Json, NetworkClient } from '../network-client/client.ts';
import { NetworkServiceError } from '../network-client/client.ts';
import type { Vif } from '../objects/instance.ts';
import type { RequestedNetwork } from './rpcapi.ts';

export interface AllocateRequest {
  readonly instance_uuid: string;
  readonly project_id: string;
  readonly host: string;
  readonly availability_zone: string | null;
  readonly requested: readonly RequestedNetwork[] | 'auto' | 'none' | null;
  /** Security group names (or ids) for the ports Nova makes; absent: the project's default. */
  readonly security_groups?: readonly string[];
}

export class NetworkAmbiguous extends Fault {
  constructor() {
    super(
      'Multiple possible networks found, use a Network ID to be more specific.',
      409,
      'nova.network_ambiguous',
    );
  }
}

export class PortInUse extends Fault {
  constructor(id: string) {
    super(`Port ${id} is still in use.`, 409, 'nova.port_in_use');
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const versionOf = (ip: string) => (ip.includes(':') ? 6 : 4);
const ipModel = (address: string, type: string) => ({ address, type, version: versionOf(address), meta: {} });

/**
 * The network of a build that names none: the project's own or the shared one (never an external
 * one). Only `networks: auto` (2.37) may then get an auto-allocated topology; without a request
 * (before 2.37) the server builds without a network, as upstream.
 */
async function autoNetwork(
  client: NetworkClient,
  project: string,
  allocate: boolean,
  log: Logger,
): Promise<string | undefined> {
  const own = await client.listNetworks({ project_id: project, 'router:external': 'False' });
  const shared = await client.listNetworks({ shared: 'True', 'router:external': 'False' });
  const ids = [...new Set([...own, ...shared].map((n) => str(n.id)))];
  if (ids.length > 1) throw new NetworkAmbiguous();
  if (ids.length === 1) return ids[0];
  if (!allocate) return undefined;
  try {
    return await client.autoAllocatedNetwork(project);
  } catch (err) {
    // No network and none can be made (no default external network): build without one, as a
    // cloud without a network service does (info, not a warning: a fresh all-in-one has no network).
    log.info(
      { err, project },
      'networks: auto found no network and could not allocate one; building without a network',
    );
    return undefined;
  }
}

/** The VIF of a port, as the network info cache keeps it. */
async function vifOf(client: NetworkClient, port: Json, preserve: boolean): Promise<Vif> {
  const network = await client.showNetwork(str(port.network_id));
  const fixed = (port.fixed_ips as { subnet_id: string; ip_address: string }[] | undefined) ?? [];
  const subnetIds = [...new Set(fixed.map((f) => f.subnet_id))];
  const subnets = subnetIds.length > 0 ? await client.listSubnets({ id: subnetIds }) : [];
  const floating = await client.listFloatingIps({ port_id: str(port.id) });
  const details = (port['binding:vif_details'] as Json | undefined) ?? {};
  return {
    id: port.id,
    address: port.mac_address,
    type: port['binding:vif_type'] ?? 'unbound',
    details,
    // devname (tap<port id>) is left out until the data plane plugs taps: a driver given one would
    // expect the device to exist.
    ovs_interfaceid: null,
    qbh_params: null,
    qbg_params: null,
    active: port.status === 'ACTIVE',
    vnic_type: port['binding:vnic_type'] ?? 'normal',
    profile: port['binding:profile'] ?? {},
    preserve_on_delete: preserve,
    delegate_create: true,
    meta: {},
    network: {
      id: network.id,
      bridge: str(details.bridge_name) || null,
      label: network.name,
      meta: { injected: false, tenant_id: network.project_id, mtu: network.mtu },
      subnets: subnets.map((s) => ({
        cidr: s.cidr,
        version: s.ip_version,
        gateway: s.gateway_ip ? ipModel(str(s.gateway_ip), 'gateway') : { meta: {} },
        dns: ((s.dns_nameservers as string[] | undefined) ?? []).map((a) => ipModel(a, 'dns')),
        routes: ((s.host_routes as { destination: string; nexthop: string }[] | undefined) ?? []).map(
          (r) => ({
            cidr: r.destination,
            gateway: ipModel(r.nexthop, 'gateway'),
            interface: null,
            meta: {},
          }),
        ),
        ips: fixed
          .filter((f) => f.subnet_id === s.id)
          .map((f) => ({
            ...ipModel(f.ip_address, 'fixed'),
            floating_ips: floating
              .filter((x) => x.fixed_ip_address === f.ip_address)
              .map((x) => ipModel(str(x.floating_ip_address), 'floating')),
          })),
        meta: { dhcp_server: null },
      })),
    },
  };
}

/** The ids of the requested security groups of the instance's project; undefined: the default. */
async function groupIds(client: NetworkClient, r: AllocateRequest): Promise<string[] | undefined> {
  if (!r.security_groups || r.security_groups.length === 0) return undefined;
  const all = await client.listSecurityGroups({ project_id: r.project_id });
  return r.security_groups.map((name) => {
    const g = all.find((x) => x.id === name) ?? all.find((x) => x.name === name);
    if (!g)
      throw new Fault(
        `Security group ${name} not found for project ${r.project_id}.`,
        400,
        'nova.security_group_not_found',
      );
    return str(g.id);
  });
}

/** A user's port for this instance: refused when another device has it, then bound here. */
async function takePort(client: NetworkClient, r: AllocateRequest, id: string, owner: string): Promise<Json> {
  const port = await client.showPort(id);
  if (str(port.device_id) !== '' && port.device_id !== r.instance_uuid) throw new PortInUse(id);
  return client.updatePort(id, {
    device_id: r.instance_uuid,
    device_owner: owner,
    'binding:host_id': r.host,
  });
}

/**
 * Ports for the build, bound to `r.host`, as network info cache entries. A failure part-way gives
 * back what was already taken (ports made are deleted, the user's are unbound) and rethrows.
 */
export async function allocateForInstance(
  client: NetworkClient,
  r: AllocateRequest,
  log: Logger,
): Promise<Vif[]> {
  if (r.requested === 'none') return [];
  const owner = `compute:${r.availability_zone ?? 'nova'}`;
  const wanted: RequestedNetwork[] = [];
  if (r.requested === null || r.requested === 'auto') {
    const id = await autoNetwork(client, r.project_id, r.requested === 'auto', log);
    if (id) wanted.push({ network_id: id });
  } else wanted.push(...r.requested);
  const groups = await groupIds(client, r);
  const taken: { port: Json; preserve: boolean }[] = [];
  try {
    for (const w of wanted) {
      if (w.port_id) {
        taken.push({ port: await takePort(client, r, w.port_id, owner), preserve: true });
        continue;
      }
      if (!w.network_id) continue;
      const port = await client.createPort({
        network_id: w.network_id,
        project_id: r.project_id,
        device_id: r.instance_uuid,
        device_owner: owner,
        'binding:host_id': r.host,
        ...(w.fixed_ip ? { fixed_ips: [{ ip_address: w.fixed_ip }] } : {}),
        ...(groups ? { security_groups: groups } : {}),
      });
      taken.push({ port, preserve: false });
    }
    const vifs: Vif[] = [];
    for (const t of taken) vifs.push(await vifOf(client, t.port, t.preserve));
    return vifs;
  } catch (err) {
    await release(
      client,
      taken.map((t) => ({ id: str(t.port.id), preserve: t.preserve })),
      log,
    );
    throw err;
  }
}

async function release(
  client: NetworkClient,
  ports: readonly { id: string; preserve: boolean }[],
  log: Logger,
) {
  for (const p of ports) {
    try {
      if (p.preserve)
        await client.updatePort(p.id, { device_id: '', device_owner: '', 'binding:host_id': '' });
      else await client.deletePort(p.id);
    } catch (err) {
      if (err instanceof NetworkServiceError && err.httpStatus === 404) continue;
      log.warn({ err, port: p.id }, 'could not release a port');
    }
  }
}

/** Lets the instance's ports go: those the user gave (preserve_on_delete) are unbound, the rest deleted. */
export async function deallocateForInstance(
  client: NetworkClient,
  instanceUuid: string,
  cache: readonly Vif[],
  log: Logger,
): Promise<void> {
  const preserved = new Set(cache.filter((v) => v.preserve_on_delete === true).map((v) => str(v.id)));
  const ports = await client.listPorts({ device_id: instanceUuid });
  await release(
    client,
    ports.map((p) => ({ id: str(p.id), preserve: preserved.has(str(p.id)) })),
    log,
  );
}

/**
 * The instance's network info from its ports as they are now (floating IPs included): the cache's
 * order is kept, ports new to it come last, ports gone drop out.
 */
export async function networkInfoFor(
  client: NetworkClient,
  instanceUuid: string,
  cache: readonly Vif[],
): Promise<Vif[]> {
  const ports = await client.listPorts({ device_id: instanceUuid });
  const order = new Map(cache.map((v, i) => [str(v.id), i]));
  const preserved = new Set(cache.filter((v) => v.preserve_on_delete === true).map((v) => str(v.id)));
  ports.sort((a, b) => (order.get(str(a.id)) ?? order.size) - (order.get(str(b.id)) ?? order.size));
  const vifs: Vif[] = [];
  for (const p of ports) vifs.push(await vifOf(client, p, preserved.has(str(p.id))));
  return vifs;
}
