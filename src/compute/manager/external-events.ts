// external_instance_event: events other services send about instances on this host (network-vif-*,
// volume-extended, power-update …). Each but the network-* ones is recorded as an action event of
// the instance (upstream records no instance action for those: Neutron sends them around every port
// change, a delete included, and they carry no user);
// power-update (2.76) also sets the power state it names, as upstream does for ironic-style hosts;
// network-changed and network-vif-deleted refresh the network info cache from the network service;
// network-vif-plugged goes to whoever waits for it (a spawn holding its guest until the port is wired).
import type { RequestContext } from '../../rpc/index.ts';
import { PowerState } from '../../virt/driver.ts';
import { eventKey } from '../instance-events.ts';
import type { ComputeManagerDeps } from './deps.ts';
import { update } from './instance-ops.ts';
import { refreshNetworks } from './networking.ts';

export interface ExternalEventArgs {
  readonly instance_uuid: string;
  readonly name: string;
  readonly status: string;
  readonly tag: string | null;
}

export async function externalEvents(
  deps: ComputeManagerDeps,
  ctx: RequestContext,
  events: readonly ExternalEventArgs[],
): Promise<void> {
  for (const e of events) {
    const event = `compute_external_instance_event_${e.name}`;
    const recorded = !e.name.startsWith('network-');
    if (recorded) await deps.conductor.eventStart(ctx, e.instance_uuid, event, deps.host).catch(() => {});
    let error: { message: string } | null = null;
    try {
      if (e.name === 'network-changed' || e.name === 'network-vif-deleted')
        await refreshNetworks(deps, ctx, e.instance_uuid);
      if (e.name === 'network-vif-plugged' || e.name === 'network-vif-unplugged')
        deps.events?.pop(e.instance_uuid, eventKey(e.name, e.tag), e.status);
      if (e.name === 'power-update' && (e.tag === 'POWER_ON' || e.tag === 'POWER_OFF')) {
        const on = e.tag === 'POWER_ON';
        await update(deps, ctx, e.instance_uuid, {
          power_state: on ? PowerState.RUNNING : PowerState.SHUTDOWN,
          vm_state: on ? 'active' : 'stopped',
        });
      }
    } catch (err) {
      error = { message: err instanceof Error ? err.message : String(err) };
    }
    if (recorded) await deps.conductor.eventFinish(ctx, e.instance_uuid, event, error).catch(() => {});
  }
}
