// The compute RPC API: what other services ask of one nova-compute (topic compute.<host>).
// Payloads are plain JSON; instances travel by uuid (the compute reads them through the conductor).
import type { RequestContext, Transport } from '../rpc/index.ts';
import type { Selection } from '../scheduler/selection.ts';
import type { RequestSpec } from '../scheduler/types.ts';

export const COMPUTE_TOPIC = 'compute';
export const COMPUTE_RPC_VERSION = '6.0';

export interface InjectedFile {
  readonly path: string;
  readonly contents: string;
}

/** A network the request asked for (networks list of POST /servers). */
export interface RequestedNetwork {
  readonly network_id?: string | null;
  readonly port_id?: string | null;
  readonly fixed_ip?: string | null;
  readonly tag?: string | null;
}

export interface BuildArgs {
  readonly instance_uuid: string;
  readonly request_spec: RequestSpec;
  readonly node: string;
  /** The alternates left for a reschedule (the chosen host excluded). */
  readonly host_list: readonly Selection[];
  readonly admin_password: string | null;
  readonly injected_files: readonly InjectedFile[];
  readonly requested_networks: readonly RequestedNetwork[] | 'auto' | 'none' | null;
}

export interface InstanceArgs {
  readonly instance_uuid: string;
  readonly [key: string]: unknown;
}

export class ComputeClient {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  #target(host: string) {
    return { topic: COMPUTE_TOPIC, server: host, version: COMPUTE_RPC_VERSION };
  }

  /** Fire-and-forget to the host's compute (the operation records its own outcome). */
  cast(
    ctx: RequestContext,
    host: string,
    method: string,
    args: InstanceArgs | Readonly<Record<string, unknown>>,
  ): Promise<void> {
    return this.#transport.cast(ctx, this.#target(host), method, args);
  }

  /** A call to the host's compute, answered with the method's result. */
  call<T>(
    ctx: RequestContext,
    host: string,
    method: string,
    args: Readonly<Record<string, unknown>>,
    timeoutMs?: number,
  ): Promise<T> {
    return this.#transport.call<T>(
      ctx,
      this.#target(host),
      method,
      args,
      timeoutMs ? { timeoutMs } : undefined,
    );
  }

  buildAndRunInstance(ctx: RequestContext, host: string, args: BuildArgs): Promise<void> {
    return this.cast(
      ctx,
      host,
      'build_and_run_instance',
      args as unknown as Readonly<Record<string, unknown>>,
    );
  }
}
