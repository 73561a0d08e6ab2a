// attach_interface / detach_interface (os-interface): a port for a running server, made (or taken)
// and bound to this host, added to or removed from the network info cache. The guest's NIC is not
// hot-plugged: no driver plugs devices yet (the data plane is a later phase), so the new port takes
// effect on the guest's next boot.
import type { Json } from '../../network-client/client.ts';
import type { Vif } from '../../objects/instance.ts';
import type { RequestContext, RpcMethod } from '../../rpc/index.ts';
import { allocateForInstance } from '../network-api.ts';
import type { ComputeManagerDeps } from './deps.ts';
import { asEvent } from './instance-ops.ts';

export interface AttachArgs {
  readonly instance_uuid: string;
  readonly network_id?: string | null;
  readonly port_id?: string | null;
  readonly fixed_ip?: string | null;
  readonly tag?: string | null;
}

async function attach(deps: ComputeManagerDeps, ctx: RequestContext, a: AttachArgs): Promise<Json> {
  if (!deps.network) throw new Error('This compute has no network service ([neutron]).');
  const client = await deps.network();
  const inst = await deps.conductor.instanceGet(ctx, a.instance_uuid);
  let added: Vif[] = [];
  await asEvent(deps, ctx, a.instance_uuid, 'attach_interface', async () => {
    added = await allocateForInstance(
      client,
      {
        instance_uuid: inst.uuid,
        project_id: inst.project_id,
        host: deps.host,
        availability_zone: inst.availability_zone,
        requested: a.port_id || a.network_id ? [a] : 'auto',
      },
      deps.log,
    );
    const tagged = added.map((v) => (a.tag ? { ...v, tag: a.tag } : v));
    await deps.conductor.setNetworkInfo(ctx, inst.uuid, [...inst.network_info, ...tagged]);
  });
  if (added.length === 0) throw new Error('No network to attach an interface to.');
  return client.showPort(String(added[0].id));
}

async function detach(deps: ComputeManagerDeps, ctx: RequestContext, uuid: string, portId: string) {
  if (!deps.network) return;
  const client = await deps.network();
  const inst = await deps.conductor.instanceGet(ctx, uuid);
  await asEvent(deps, ctx, uuid, 'detach_interface', async () => {
    const vif = inst.network_info.filter((v) => v.id === portId);
    // Only this port: deallocate looks ports up by device, so give it the one to let go.
    const ports = await client.listPorts({ device_id: uuid, id: portId });
    if (ports.length > 0) {
      const preserve = vif.some((v) => v.preserve_on_delete === true);
      if (preserve)
        await client.updatePort(portId, { device_id: '', device_owner: '', 'binding:host_id': '' });
      else await client.deletePort(portId);
    }
    await deps.conductor.setNetworkInfo(
      ctx,
      uuid,
      inst.network_info.filter((v) => v.id !== portId),
    );
  });
}

export function interfaceMethods(deps: ComputeManagerDeps): Record<string, RpcMethod> {
  return {
    attach_interface: (ctx, a: AttachArgs) => attach(deps, ctx, a),
    detach_interface: async (ctx, a: { instance_uuid: string; port_id: string }) => {
      await detach(deps, ctx, a.instance_uuid, a.port_id).catch((err: unknown) =>
        deps.log.warn({ err, instance: a.instance_uuid }, 'detach_interface failed'),
      );
      return null;
    },
  };
}
