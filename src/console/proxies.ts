// nova-novncproxy ([vnc] novncproxy_host:novncproxy_port, 6080) and nova-serialproxy
// ([serial_console] serialproxy_host:serialproxy_port, 6083) from nova.conf: the same token-checked
// websocket proxy, the first also serving the noVNC pages. Both find tokens in every cell database
// listed in the API database's cell mappings (looked up per connection, so new cells count).
import type { CellPool } from '../cells/cell-pool.ts';
import { allCells } from '../cells/lookup.ts';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import type { Database } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import { novncWeb } from './novnc-web.ts';
import { type ConsoleProxy, startConsoleProxy } from './proxy-server.ts';
import type { CellDbs } from './token-check.ts';

export interface ConsoleProxyDeps {
  readonly conf: NovaConf;
  readonly log: Logger;
  readonly clock: Clock;
  readonly cellDbs: CellDbs;
}

/** Every cell database of the deployment, through the API database's cell mappings. */
export function cellDbsOf(apiDb: Database<ApiDb>, cells: CellPool): CellDbs {
  return async () => (await allCells(apiDb, cells)).map((c) => c.db);
}

const common = (d: ConsoleProxyDeps) => ({
  tokens: { cellDbs: d.cellDbs, clock: d.clock },
  log: d.log,
  allowedOrigins: d.conf.console.allowed_origins,
  enforceSessionTimeout: d.conf.consoleauth.enforce_session_timeout,
});

export function startNovncProxy(d: ConsoleProxyDeps): Promise<ConsoleProxy> {
  return startConsoleProxy({
    ...common(d),
    name: 'nova-novncproxy',
    host: d.conf.vnc.novncproxy_host,
    port: d.conf.vnc.novncproxy_port,
    consoleTypes: ['novnc'],
    web: novncWeb(),
  });
}

export function startSerialProxy(d: ConsoleProxyDeps): Promise<ConsoleProxy> {
  return startConsoleProxy({
    ...common(d),
    name: 'nova-serialproxy',
    host: d.conf.serial_console.serialproxy_host,
    port: d.conf.serial_console.serialproxy_port,
    consoleTypes: ['serial'],
  });
}

export interface StartedConsoleProxies {
  readonly parts: readonly ConsoleProxy[];
  readonly roles: readonly { readonly role: string; readonly endpoint: string }[];
}

/** The proxies the configuration enables ([vnc] enabled, [serial_console] enabled); all or none start. */
export async function startEnabledConsoleProxies(d: ConsoleProxyDeps): Promise<StartedConsoleProxies> {
  const parts: ConsoleProxy[] = [];
  const roles: { role: string; endpoint: string }[] = [];
  try {
    if (d.conf.vnc.enabled) {
      const p = await startNovncProxy(d);
      parts.push(p);
      roles.push({ role: 'nova-novncproxy', endpoint: `${p.url}/vnc_auto.html` });
    }
    if (d.conf.serial_console.enabled) {
      const p = await startSerialProxy(d);
      parts.push(p);
      roles.push({ role: 'nova-serialproxy', endpoint: p.url.replace(/^http/, 'ws') });
    }
  } catch (err) {
    for (const p of parts) await p.stop();
    throw err;
  }
  return { parts, roles };
}
