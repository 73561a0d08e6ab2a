// Telling Nova that an instance's ports changed, as Neutron's nova notifier does: a
// `network-changed` event (tag = the port) when a floating IP is associated or released or a
// port's addresses change, `network-vif-deleted` when a compute port is deleted,
// `network-vif-plugged` / `-unplugged` when its status turns ACTIVE / DOWN (agents.ts), posted to Nova's
// os-server-external-events. Sent after the change is committed, in the background: a Nova that
// does not answer never fails the network request (it refreshes its cache at the next event).
import type { Logger } from '../common/log.ts';
import type { Port } from './model.ts';

export interface NovaEvent {
  readonly name: 'network-changed' | 'network-vif-deleted' | 'network-vif-plugged' | 'network-vif-unplugged';
  readonly server_uuid: string;
  readonly tag: string;
}

export interface NovaNotifier {
  notify(events: readonly NovaEvent[]): void;
}

/** The event for a port of an instance (device_owner compute:*), or none. */
export function portEvent(
  p: Pick<Port, 'id' | 'device_id' | 'device_owner'>,
  name: NovaEvent['name'],
): NovaEvent[] {
  return p.device_owner.startsWith('compute:') && p.device_id !== ''
    ? [{ name, server_uuid: p.device_id, tag: p.id }]
    : [];
}

export interface HttpNovaNotifierOptions {
  /** Nova's compute API base URL (without /v2.1); undefined until it is known. */
  readonly url: () => string | undefined | Promise<string | undefined>;
  readonly token: () => Promise<string>;
  readonly log: Logger;
  readonly fetch?: typeof fetch;
}

export function httpNovaNotifier(o: HttpNovaNotifierOptions): NovaNotifier {
  const send = async (events: readonly NovaEvent[]) => {
    const url = await o.url();
    if (!url) return;
    const res = await (o.fetch ?? fetch)(`${url.replace(/\/+$/, '')}/v2.1/os-server-external-events`, {
      method: 'POST',
      headers: { 'x-auth-token': await o.token(), 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    if (res.status >= 400 && res.status !== 404 && res.status !== 422)
      o.log.warn({ status: res.status, body: await res.text() }, 'Nova refused network events');
  };
  return {
    notify(events) {
      if (events.length === 0) return;
      send(events).catch((err: unknown) => o.log.warn({ err }, 'could not send network events to Nova'));
    },
  };
}
