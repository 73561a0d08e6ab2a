// os-interface: a server's ports (interfaceAttachments) read from the network service with the
// caller's token; attach asks the server's compute (RPC call) for a port on a network, a given
// port or the `auto` network, detach casts the release. As upstream: attach needs the server
// ACTIVE, PAUSED or STOPPED; a port the server does not have is a 404.
import type { AuthContext } from '../../auth/types.ts';
import type { CellRef } from '../../cells/lookup.ts';
import type { NovaConf } from '../../config/index.ts';
import { Conflict, Invalid, NotFound } from '../../faults/fault.ts';
import { type Json, type NetworkClient, NetworkServiceError } from '../../network-client/client.ts';
import { callerNetworkClient } from '../../network-client/endpoint.ts';
import type { Instance } from '../../objects/instance.ts';
import * as actions from '../../objects/instance-action.ts';
import type { ServersBackend } from './backend.ts';
import { rpcContext } from './delete.ts';
import { checkLock, checkState } from './lookup.ts';
import { checkRequestedNetworks } from './networks.ts';

export interface InterfaceDeps {
  readonly conf: NovaConf;
  readonly backend: ServersBackend;
  readonly now: Date;
}

/** One interfaceAttachment; `tag` from 2.70 (from the cache, where attach put it). */
export function attachmentView(port: Json, inst: Instance, withTag: boolean): Record<string, unknown> {
  const vif = inst.network_info.find((v) => v.id === port.id);
  return {
    port_state: port.status,
    fixed_ips: ((port.fixed_ips as Json[] | undefined) ?? []).map((f) => ({
      subnet_id: f.subnet_id,
      ip_address: f.ip_address,
    })),
    port_id: port.id,
    net_id: port.network_id,
    mac_addr: port.mac_address,
    ...(withTag ? { tag: (vif?.tag as string | undefined) ?? null } : {}),
  };
}

function clientFor(conf: NovaConf, auth: AuthContext): NetworkClient {
  const c = callerNetworkClient(conf, auth);
  if (!c) throw new Conflict('No network service is configured.', 'nova.no_network_service');
  return c;
}

export async function listInterfaces(conf: NovaConf, auth: AuthContext, inst: Instance): Promise<Json[]> {
  const c = callerNetworkClient(conf, auth);
  return c ? c.listPorts({ device_id: inst.uuid }) : [];
}

export async function showInterface(
  conf: NovaConf,
  auth: AuthContext,
  inst: Instance,
  portId: string,
): Promise<Json> {
  const port = await clientFor(conf, auth)
    .showPort(portId)
    .catch((err: unknown) => {
      if (err instanceof NetworkServiceError && err.httpStatus === 404) return undefined;
      throw err;
    });
  if (!port || port.device_id !== inst.uuid)
    throw new NotFound(`Instance ${inst.uuid} is not attached to port ${portId}.`, 'nova.port_not_attached');
  return port;
}

export interface AttachRequest {
  readonly net_id?: string;
  readonly port_id?: string;
  readonly fixed_ips?: readonly { ip_address: string }[];
  readonly tag?: string;
}

export async function attachInterface(
  d: InterfaceDeps,
  auth: AuthContext,
  requestId: string,
  cell: CellRef,
  inst: Instance,
  r: AttachRequest,
): Promise<Json> {
  checkLock(inst, auth);
  checkState(inst, 'attach_interface', { vmStates: ['active', 'paused', 'stopped'] });
  if (r.net_id && r.port_id) throw new Invalid('Must not input both network_id and port_id', 'nova.invalid');
  if (r.fixed_ips && !r.net_id)
    throw new Invalid('Must input network_id when request IP address', 'nova.invalid');
  if (!inst.host) throw new Conflict(`Instance ${inst.uuid} has no host.`);
  const requested = r.port_id ? [{ port_id: r.port_id }] : r.net_id ? [{ network_id: r.net_id }] : 'auto';
  clientFor(d.conf, auth);
  await checkRequestedNetworks(d.conf, auth, requested);
  await actions.start(
    cell.db,
    inst.uuid,
    'attach_interface',
    { request_id: requestId, user_id: auth.user_id, project_id: auth.project_id ?? null },
    d.now,
  );
  return d.backend.compute.call<Json>(rpcContext(auth, requestId), inst.host, 'attach_interface', {
    instance_uuid: inst.uuid,
    network_id: r.net_id ?? null,
    port_id: r.port_id ?? null,
    fixed_ip: r.fixed_ips?.[0]?.ip_address ?? null,
    tag: r.tag ?? null,
  });
}

export async function detachInterface(
  d: InterfaceDeps,
  auth: AuthContext,
  requestId: string,
  cell: CellRef,
  inst: Instance,
  portId: string,
): Promise<void> {
  checkLock(inst, auth);
  checkState(inst, 'detach_interface', { vmStates: ['active', 'paused', 'stopped'] });
  await showInterface(d.conf, auth, inst, portId);
  if (!inst.host) throw new Conflict(`Instance ${inst.uuid} has no host.`);
  await actions.start(
    cell.db,
    inst.uuid,
    'detach_interface',
    { request_id: requestId, user_id: auth.user_id, project_id: auth.project_id ?? null },
    d.now,
  );
  await d.backend.compute.cast(rpcContext(auth, requestId), inst.host, 'detach_interface', {
    instance_uuid: inst.uuid,
    port_id: portId,
  });
}
