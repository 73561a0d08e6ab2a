// rabbit_* (in [DEFAULT] or [oslo_messaging_rabbit]) and rpc_backend → [DEFAULT] transport_url,
// when transport_url itself is unset. Every host in rabbit_hosts gets the credentials, as
// oslo.messaging's rabbit driver used them: rabbit://u:p@h1:5672,u:p@h2:5672/vhost.
import { RABBIT_CONNECTION_OPTS } from '../options/rabbit.ts';
import type { Fixup, FixupContext } from './fixup.ts';

const RABBIT = 'oslo_messaging_rabbit';
const RABBIT_BACKENDS = new Set([
  'rabbit',
  'kombu',
  'nova.rpc.impl_kombu',
  'nova.openstack.common.rpc.impl_kombu',
  'oslo.messaging._drivers.impl_rabbit',
  'oslo_messaging._drivers.impl_rabbit',
]);

interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** `h`, `h:p`, `[v6]`, `[v6]:p` or a bare IPv6 address; the port defaults to rabbit_port. */
export function parseRabbitHost(entry: string, defaultPort: number): HostPort {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed)
    return { host: `[${bracketed[1]}]`, port: bracketed[2] ? Number(bracketed[2]) : defaultPort };
  const colons = entry.split(':').length - 1;
  if (colons > 1) return { host: `[${entry}]`, port: defaultPort };
  const [host, port] = entry.split(':');
  return { host, port: port ? Number(port) : defaultPort };
}

export interface RabbitSettings {
  readonly hosts: readonly string[];
  readonly port: number;
  readonly userid: string;
  readonly password: string;
  readonly virtualHost: string;
}

export function composeRabbitUrl(s: RabbitSettings, maskPassword = false): string {
  const cred = `${encodeURIComponent(s.userid)}:${maskPassword ? '***' : encodeURIComponent(s.password)}`;
  const hosts = s.hosts.map((h) => parseRabbitHost(h, s.port)).map((h) => `${cred}@${h.host}:${h.port}`);
  const vhost = s.virtualHost === '/' || s.virtualHost === '' ? '' : encodeURIComponent(s.virtualHost);
  return `rabbit://${hosts.join(',')}/${vhost}`;
}

function settings(ctx: FixupContext): RabbitSettings {
  return {
    hosts: ctx.get(RABBIT, 'rabbit_hosts') as readonly string[],
    port: ctx.get(RABBIT, 'rabbit_port') as number,
    userid: ctx.get(RABBIT, 'rabbit_userid') as string,
    password: ctx.get(RABBIT, 'rabbit_password') as string,
    virtualHost: ctx.get(RABBIT, 'rabbit_virtual_host') as string,
  };
}

export const rabbitTransportFixup: Fixup = {
  name: 'rabbit_* options to transport_url',
  apply(ctx) {
    const used = RABBIT_CONNECTION_OPTS.filter((n) => ctx.isSet(RABBIT, n));
    const backend = ctx.isSet('DEFAULT', 'rpc_backend')
      ? (ctx.get('DEFAULT', 'rpc_backend') as string)
      : undefined;
    if (used.length === 0 && backend === undefined) return;
    if (ctx.isSet('DEFAULT', 'transport_url')) {
      if (used.length > 0)
        ctx.warn(`Options ${used.join(', ')} are ignored because [DEFAULT] transport_url is set`);
      return;
    }
    if (backend !== undefined && !RABBIT_BACKENDS.has(backend)) {
      ctx.warn(`[DEFAULT] rpc_backend = ${backend} is not supported; set [DEFAULT] transport_url instead`);
      return;
    }
    const s = settings(ctx);
    if (s.hosts.length === 0) {
      ctx.warn('[oslo_messaging_rabbit] rabbit_hosts is empty; no transport_url composed');
      return;
    }
    ctx.set('DEFAULT', 'transport_url', composeRabbitUrl(s));
    const from = [...(backend === undefined ? [] : ['rpc_backend']), ...used].join(', ');
    ctx.warn(
      `[DEFAULT] transport_url is unset; using ${composeRabbitUrl(s, true)} composed from the deprecated ` +
        `options ${from}. Set transport_url instead.`,
    );
  },
};
