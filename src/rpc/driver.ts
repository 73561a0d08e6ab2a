// The seam between the generic transport (rpc-transport.ts: envelopes, dispatch, timeouts, faults)
// and a wire (memory/, rabbit/). A driver only moves opaque JSON strings; both drivers therefore run
// exactly the same encoding, validation and dispatch code.
import type { ListenTarget, ResolvedTransportOptions, Target } from './types.ts';

export interface OutgoingMessage {
  readonly body: string;
  /** Calls only: the reply correlation id. */
  readonly msgId?: string;
  /** Calls only: the broker may drop the message once nobody waits for its reply any more. */
  readonly expiresInMs?: number;
}

export interface OutgoingReply {
  readonly replyTo: string;
  readonly msgId: string;
  readonly body: string;
}

/** Handles one received request; resolves with the reply to send (calls) or undefined (casts). Never rejects. */
export type DeliveryHandler = (body: string) => Promise<OutgoingReply | undefined>;

export interface DriverSubscription {
  /** Stop consuming, wait for in-flight deliveries (reply sent, message acknowledged), release. */
  stop(): Promise<void>;
}

export interface DriverHooks {
  /** A reply arrived for one of this transport's calls. */
  onReply(body: string): void;
}

export interface RpcDriver {
  /** Where replies to this transport's calls are sent. */
  readonly replyTo: string;
  /** Resolves once the wire has accepted the message (rabbit: publisher-confirmed); rejects after timeoutMs. */
  publish(target: Target, msg: OutgoingMessage, timeoutMs: number): Promise<void>;
  consume(
    target: ListenTarget,
    handle: DeliveryHandler,
    opts: { prefetch: number },
  ): Promise<DriverSubscription>;
  close(): Promise<void>;
}

export interface DriverFactory {
  create(url: string, opts: ResolvedTransportOptions, hooks: DriverHooks): Promise<RpcDriver>;
}
