// The public shape of the RPC layer: targets, endpoints, the transport and its listeners.
import type { Logger } from '../common/log.ts';
import type { RequestContext } from './context.ts';
import type { FaultClass } from './fault-codec.ts';

/** Where a message goes: topic `<topic>` (any server), `<topic>.<server>`, or every server (fanout). */
export interface Target {
  readonly topic: string;
  readonly server?: string;
  /** Cast only: deliver to every listener of the topic. */
  readonly fanout?: boolean;
  /** The API version the caller needs, 'major.minor'; absent = any version of the namespace. */
  readonly version?: string;
  readonly namespace?: string;
}

/** What a server listens on: `<topic>` (shared), `<topic>.<server>` and the topic's fanout. */
export interface ListenTarget {
  readonly topic: string;
  readonly server?: string;
}

/**
 * Keyword arguments of a method: a plain JSON object. `any` members so callers can pass their own
 * interfaces and handlers can declare or cast to theirs (an `unknown` index signature accepts neither).
 */
// biome-ignore lint/suspicious/noExplicitAny: wire data; each side states its own type for it
export type RpcArgs = Readonly<Record<string, any>>;

// Declared through a method so handlers may narrow `args` to their own argument type.
type Bivariant<F extends (...a: never[]) => unknown> = { m(...a: Parameters<F>): ReturnType<F> }['m'];
export type RpcMethod = Bivariant<(ctx: RequestContext, args: RpcArgs) => unknown>;

export interface RpcEndpoint {
  readonly namespace?: string;
  /** The version this endpoint implements, e.g. '6.0'. */
  readonly version: string;
  readonly methods: Readonly<Record<string, RpcMethod>>;
}

export interface DispatchRequest {
  readonly method: string;
  readonly args: RpcArgs;
  readonly version?: string;
  readonly namespace?: string;
}

export interface Dispatcher {
  dispatch(ctx: RequestContext, req: DispatchRequest): Promise<unknown>;
}

export interface CallOptions {
  /** Overrides the transport's responseTimeoutMs (rpc_response_timeout). */
  readonly timeoutMs?: number;
}

export interface CastOptions {
  /** How long to keep trying to hand the message to the broker; default responseTimeoutMs. */
  readonly timeoutMs?: number;
}

export interface ListenOptions {
  /** Unacknowledged messages per consumer (rabbit basic.qos); default TransportOptions.prefetch. */
  readonly prefetch?: number;
}

export interface Listener {
  readonly target: ListenTarget;
  /** Stops consuming, waits for in-flight handlers (their replies are sent), then resolves. */
  stop(): Promise<void>;
}

export interface Transport {
  /** The transport_url with passwords masked. */
  readonly url: string;
  call<T = unknown>(
    ctx: RequestContext,
    target: Target,
    method: string,
    args?: RpcArgs,
    opts?: CallOptions,
  ): Promise<T>;
  cast(
    ctx: RequestContext,
    target: Target,
    method: string,
    args?: RpcArgs,
    opts?: CastOptions,
  ): Promise<void>;
  listen(
    target: ListenTarget,
    endpoints: readonly RpcEndpoint[] | Dispatcher,
    opts?: ListenOptions,
  ): Promise<Listener>;
  /** Stops every listener (draining), fails pending calls with TransportClosed, disconnects. */
  close(): Promise<void>;
}

export interface TransportOptions {
  /** control_exchange; default 'nova'. */
  readonly exchange?: string;
  readonly log?: Logger;
  /** rpc_response_timeout in milliseconds; default 60000. */
  readonly responseTimeoutMs?: number;
  /** How long createTransport retries an unreachable broker before StartupError; default 5000. */
  readonly startupRetryMs?: number;
  /** Upper bound of the reconnect backoff after a lost connection; default 2000. */
  readonly reconnectMaxDelayMs?: number;
  /** Unacknowledged messages per consumer; default 64. */
  readonly prefetch?: number;
  /** Fault classes re-created by class on the calling side, beyond DEFAULT_REMOTE_FAULTS. */
  readonly remoteFaults?: readonly FaultClass[];
}

export type ResolvedTransportOptions = Required<TransportOptions>;
