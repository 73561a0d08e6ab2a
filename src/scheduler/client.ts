// Typed client of nova-scheduler's RPC API.
import type { RequestContext, Transport } from '../rpc/index.ts';
import type { Selection } from './selection.ts';
import type { RequestSpec } from './types.ts';

export const SCHEDULER_TOPIC = 'scheduler';
export const SCHEDULER_RPC_VERSION = '4.0';

export class SchedulerClient {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** The chosen host and alternates per instance; NoValidHost (by code) when none fits. */
  selectDestinations(
    ctx: RequestContext,
    spec: RequestSpec,
    instanceUuids: readonly string[],
    returnAlternates = true,
  ): Promise<Selection[][]> {
    return this.#transport.call<Selection[][]>(
      ctx,
      { topic: SCHEDULER_TOPIC, version: SCHEDULER_RPC_VERSION },
      'select_destinations',
      { spec, instance_uuids: instanceUuids, return_alternates: returnAlternates },
    );
  }
}
