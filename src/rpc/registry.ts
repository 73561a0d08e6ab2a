// transport_url scheme → driver. The explicit list of wires this build knows; add a line to add one.
import { silentLogger } from '../common/log.ts';
import { StartupError } from '../faults/fault.ts';
import type { DriverFactory } from './driver.ts';
import { createFaultDecoder, DEFAULT_REMOTE_FAULTS } from './fault-codec.ts';
import { memoryDriver } from './memory/memory-driver.ts';
import { PendingCalls } from './pending-calls.ts';
import { rabbitDriver } from './rabbit/rabbit-driver.ts';
import { createReplyHooks, createRpcTransport } from './rpc-transport.ts';
import { redactUrl, schemeOf } from './transport-url.ts';
import type { ResolvedTransportOptions, Transport, TransportOptions } from './types.ts';

export const TRANSPORT_DRIVERS: Readonly<Record<string, DriverFactory>> = Object.freeze({
  memory: memoryDriver,
  rabbit: rabbitDriver,
  amqp: rabbitDriver,
});

function resolveOptions(opts: TransportOptions): ResolvedTransportOptions {
  return Object.freeze({
    exchange: opts.exchange ?? 'nova',
    log: opts.log ?? silentLogger(),
    responseTimeoutMs: opts.responseTimeoutMs ?? 60_000,
    startupRetryMs: opts.startupRetryMs ?? 5_000,
    reconnectMaxDelayMs: opts.reconnectMaxDelayMs ?? 2_000,
    prefetch: opts.prefetch ?? 64,
    remoteFaults: Object.freeze([...DEFAULT_REMOTE_FAULTS, ...(opts.remoteFaults ?? [])]),
  });
}

/** Opens the transport named by transport_url; StartupError (one line) for a bad URL or unreachable broker. */
export async function createTransport(url: string, opts: TransportOptions = {}): Promise<Transport> {
  const scheme = schemeOf(url);
  const factory = Object.hasOwn(TRANSPORT_DRIVERS, scheme) ? TRANSPORT_DRIVERS[scheme] : undefined;
  if (!factory) {
    const known = Object.keys(TRANSPORT_DRIVERS).join(', ');
    throw new StartupError(
      `Unsupported transport_url scheme '${scheme}' in '${redactUrl(url)}': use one of ${known}`,
    );
  }
  const resolved = resolveOptions(opts);
  const pending = new PendingCalls();
  const hooks = createReplyHooks(pending, createFaultDecoder(resolved.remoteFaults), resolved.log);
  const driver = await factory.create(url, resolved, hooks);
  return createRpcTransport({ url: redactUrl(url), driver, pending, opts: resolved });
}
