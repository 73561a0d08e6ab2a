// Endpoints spelt the old way. [glance] api_servers: entries without a scheme get http:// (Nova
// always read `host:9292` that way), and when it is unset but glance_host (or [glance] host) is set,
// it becomes protocol://host:port. [neutron] url: used as endpoint_override when that is unset.
import type { Fixup } from './fixup.ts';

/** `host:port` → `http://host:port`; anything containing `//` is left as it is. */
export function withScheme(server: string): string {
  return server.includes('//') ? server : `http://${server}`;
}

const bracketIpv6 = (host: string): string =>
  host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;

export const glanceApiServersFixup: Fixup = {
  name: 'glance api_servers from glance_host and scheme-less entries',
  apply(ctx) {
    const servers = ctx.get('glance', 'api_servers') as readonly string[] | undefined;
    if (servers) {
      const fixed = servers.map(withScheme);
      if (fixed.some((s, i) => s !== servers[i])) ctx.set('glance', 'api_servers', Object.freeze(fixed));
      if (ctx.isSet('glance', 'host')) {
        ctx.warn('[glance] host, port and protocol are ignored because [glance] api_servers is set');
      }
      return;
    }
    if (!ctx.isSet('glance', 'host')) return;
    const host = bracketIpv6(ctx.get('glance', 'host') as string);
    const url = `${ctx.get('glance', 'protocol') as string}://${host}:${ctx.get('glance', 'port') as number}`;
    ctx.set('glance', 'api_servers', Object.freeze([url]));
  },
};

export const neutronUrlFixup: Fixup = {
  name: 'neutron url to endpoint_override',
  apply(ctx) {
    const url = ctx.get('neutron', 'url');
    if (url !== undefined && ctx.get('neutron', 'endpoint_override') === undefined) {
      ctx.set('neutron', 'endpoint_override', url);
    }
  },
};
