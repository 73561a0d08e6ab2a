// The build's `networking` step and the delete's release of ports, through the network service
// when this compute has one ([neutron] / the all-in-one's embedded service); without one servers
// get no network, as before. The network info cache is written through the conductor.
import type { Instance, Vif } from '../../objects/instance.ts';
import type { RequestContext } from '../../rpc/index.ts';
import { allocateForInstance, deallocateForInstance, networkInfoFor } from '../network-api.ts';
import type { BuildArgs } from '../rpcapi.ts';
import type { ComputeManagerDeps } from './deps.ts';

/** Ports for the build, bound to this host; the cache holds them before the guest is spawned. */
export async function allocateNetworks(
  deps: ComputeManagerDeps,
  ctx: RequestContext,
  inst: Instance,
  requested: BuildArgs['requested_networks'],
  securityGroups?: readonly string[],
): Promise<readonly Vif[]> {
  if (!deps.network) return inst.network_info;
  const client = await deps.network();
  const vifs = await allocateForInstance(
    client,
    {
      instance_uuid: inst.uuid,
      project_id: inst.project_id,
      host: deps.host,
      availability_zone: inst.availability_zone,
      requested,
      ...(securityGroups ? { security_groups: securityGroups } : {}),
    },
    deps.log,
  );
  await deps.conductor.setNetworkInfo(ctx, inst.uuid, vifs);
  return vifs;
}

/** Gives the instance's ports back (a failed build, a delete). Never throws: a delete goes on. */
export async function deallocateNetworks(
  deps: ComputeManagerDeps,
  ctx: RequestContext,
  uuid: string,
  cache: readonly Vif[],
): Promise<void> {
  if (!deps.network) return;
  try {
    await deallocateForInstance(await deps.network(), uuid, cache, deps.log);
    await deps.conductor.setNetworkInfo(ctx, uuid, []);
  } catch (err) {
    deps.log.warn({ err, instance: uuid }, 'could not release the instance ports');
  }
}

/** Rebuilds the instance's network info cache from the network service (network-changed events). */
export async function refreshNetworks(
  deps: ComputeManagerDeps,
  ctx: RequestContext,
  uuid: string,
): Promise<void> {
  if (!deps.network) return;
  const inst = await deps.conductor.instanceGet(ctx, uuid);
  const vifs = await networkInfoFor(await deps.network(), uuid, inst.network_info);
  await deps.conductor.setNetworkInfo(ctx, uuid, vifs);
}

/**
 * Moves the instance's port bindings to `host` (the destination of a move, '' when shelve offload
 * leaves it on no host) and refreshes the cache. A failure is logged: the move itself stands.
 */
export async function bindNetworks(
  deps: ComputeManagerDeps,
  ctx: RequestContext,
  uuid: string,
  host: string,
): Promise<void> {
  if (!deps.network) return;
  try {
    const client = await deps.network();
    for (const p of await client.listPorts({ device_id: uuid }))
      if (p['binding:host_id'] !== host) await client.updatePort(String(p.id), { 'binding:host_id': host });
    if (host !== '') await refreshNetworks(deps, ctx, uuid);
  } catch (err) {
    deps.log.warn({ err, instance: uuid, host }, 'could not move the instance port bindings');
  }
}
