// Remote console URLs: the server's compute names its console endpoint (host, port, path), the API
// records a console auth token for it in the server's cell and hands out the proxy URL carrying the
// token. Each protocol is a plug-in in CONSOLE_PROTOCOLS: its compute RPC method, whether the
// deployment enables it, and the proxy base URL of each console type it serves (upstream's
// compute manager get_*_console checks, done here).
import { NotImplementedFault } from '../api/compute/faults/faults.ts';
import type { AuthContext } from '../auth/types.ts';
import type { CellRef } from '../cells/lookup.ts';
import type { Clock } from '../common/clock.ts';
import type { ComputeClient } from '../compute/rpcapi.ts';
import type { NovaConf } from '../config/index.ts';
import { Conflict, Invalid } from '../faults/fault.ts';
import * as consoleTokens from '../objects/console-auth-token.ts';
import type { Instance } from '../objects/instance.ts';
import type { ConsoleEndpoint } from '../virt/driver.ts';
import { isNotSupported, remoteName } from './rpc-errors.ts';
import { rpcContext } from './servers/delete.ts';
import { invalidState } from './servers/lookup.ts';

export interface ConsoleProtocol {
  /** The compute RPC method answering the console endpoint. */
  readonly rpcMethod: string;
  readonly enabled: (conf: NovaConf) => boolean;
  /** The proxy URL users open for this console type; undefined: not a type of this protocol. */
  readonly baseUrl: (conf: NovaConf, consoleType: string) => string | undefined;
}

export const CONSOLE_PROTOCOLS: Readonly<Record<string, ConsoleProtocol>> = Object.freeze({
  vnc: Object.freeze({
    rpcMethod: 'get_vnc_console',
    enabled: (c: NovaConf) => c.vnc.enabled,
    baseUrl: (c: NovaConf, t: string) => (t === 'novnc' ? c.vnc.novncproxy_base_url : undefined),
  }),
  spice: Object.freeze({
    rpcMethod: 'get_spice_console',
    enabled: (c: NovaConf) => c.spice.enabled,
    baseUrl: (c: NovaConf, t: string) => (t === 'spice-html5' ? c.spice.html5proxy_base_url : undefined),
  }),
  // Upstream does not check the type of a serial console request.
  serial: Object.freeze({
    rpcMethod: 'get_serial_console',
    enabled: (c: NovaConf) => c.serial_console.enabled,
    baseUrl: (c: NovaConf) => c.serial_console.base_url,
  }),
  mks: Object.freeze({
    rpcMethod: 'get_mks_console',
    enabled: (c: NovaConf) => c.mks.enabled,
    baseUrl: (c: NovaConf, t: string) => (t === 'webmks' ? c.mks.mksproxy_base_url : undefined),
  }),
});

export interface ConsoleDeps {
  readonly conf: NovaConf;
  readonly clock: Clock;
  readonly compute: ComputeClient;
}

export const instanceNotReady = (uuid: string) =>
  new Conflict(`Instance ${uuid} is not ready`, 'nova.instance_not_ready');

export const consoleTypeUnavailable = (consoleType: string) =>
  new Invalid(`Unavailable console type ${consoleType}.`, 'nova.console_type_unavailable');

/** Task states in which no console is handed out (upstream reject_instance_state). */
const BUSY_TASK_STATES = Object.freeze(['deleting', 'migrating']);

/**
 * The URL of a new console session of `protocol`/`consoleType` on the instance: 409 while it has no
 * host or is being deleted or migrated, 400 for a disabled or unknown console type, 501 (upstream's
 * NotImplementedError) when its driver has no such console.
 */
export async function getConsoleUrl(
  d: ConsoleDeps,
  auth: AuthContext,
  requestId: string,
  cell: CellRef,
  inst: Instance,
  protocol: string,
  consoleType: string,
): Promise<string> {
  const p = Object.hasOwn(CONSOLE_PROTOCOLS, protocol) ? CONSOLE_PROTOCOLS[protocol] : undefined;
  if (!p) throw consoleTypeUnavailable(protocol);
  if (!inst.host) throw instanceNotReady(inst.uuid);
  if (inst.task_state !== null && BUSY_TASK_STATES.includes(inst.task_state))
    throw invalidState(inst.uuid, p.rpcMethod, 'task_state', inst.task_state);
  if (!p.enabled(d.conf)) throw consoleTypeUnavailable(consoleType);
  const base = p.baseUrl(d.conf, consoleType);
  if (base === undefined)
    throw new Invalid(`Invalid console type ${consoleType}`, 'nova.console_type_invalid');
  let endpoint: ConsoleEndpoint;
  try {
    endpoint = await d.compute.call<ConsoleEndpoint>(rpcContext(auth, requestId), inst.host, p.rpcMethod, {
      instance_uuid: inst.uuid,
      console_type: consoleType,
    });
  } catch (err) {
    if (isNotSupported(err)) throw new NotImplementedFault();
    if (remoteName(err) === 'InstanceNotFound' && inst.vm_state === 'building')
      throw instanceNotReady(inst.uuid);
    throw err;
  }
  const { token } = await consoleTokens.authorize(
    cell.db,
    {
      console_type: consoleType,
      host: endpoint.host,
      port: endpoint.port,
      internal_access_path: endpoint.internal_access_path ?? null,
      instance_uuid: inst.uuid,
      access_url_base: base,
    },
    d.conf.consoleauth.token_ttl,
    d.clock.now(),
  );
  return consoleTokens.accessUrl(consoleType, base, token);
}
