// One RPC daemon (nova-conductor, nova-scheduler, nova-compute …): registers its services row,
// heartbeats every report_interval, serves its endpoints on `topic` and `topic.host`, runs its
// periodic tasks, and drains on stop.
import type { Logger } from '../common/log.ts';
import type { Listener, RpcEndpoint, Transport } from '../rpc/index.ts';
import { type PeriodicTask, type RunningTask, startPeriodic } from './periodic.ts';
import type { RegisteredService, ServiceStore } from './service-store.ts';
import { SERVICE_VERSION } from './version.ts';

export interface NovaServiceOptions {
  readonly binary: string;
  readonly topic: string;
  readonly host: string;
  readonly transport: Transport;
  readonly store: ServiceStore;
  readonly endpoints: readonly RpcEndpoint[];
  readonly reportIntervalMs: number;
  readonly periodicTasks?: readonly PeriodicTask[];
  /** Runs once registered, before the service consumes messages (nova-compute's init_host). */
  readonly beforeListen?: () => Promise<void>;
  readonly log: Logger;
}

/** oslo.messaging's base API: every RPC server answers `ping` in the `baseapi` namespace. */
export function baseApiEndpoint(binary: string, host: string): RpcEndpoint {
  return {
    namespace: 'baseapi',
    version: '1.0',
    methods: {
      ping: async (_ctx, args) => ({ binary, host, arg: (args as { arg?: unknown }).arg ?? null }),
    },
  };
}

export class NovaService {
  readonly #opts: NovaServiceOptions;
  #listener: Listener | undefined;
  #tasks: RunningTask[] = [];
  #record: RegisteredService | undefined;

  constructor(opts: NovaServiceOptions) {
    this.#opts = opts;
  }

  get binary(): string {
    return this.#opts.binary;
  }

  get record(): RegisteredService | undefined {
    return this.#record;
  }

  async start(): Promise<void> {
    const o = this.#opts;
    this.#record = await o.store.register({
      host: o.host,
      binary: o.binary,
      topic: o.topic,
      version: SERVICE_VERSION,
    });
    const record = this.#record;
    await o.beforeListen?.();
    this.#listener = await o.transport.listen({ topic: o.topic, server: o.host }, [
      baseApiEndpoint(o.binary, o.host),
      ...o.endpoints,
    ]);
    const heartbeat: PeriodicTask = {
      name: 'heartbeat',
      intervalMs: o.reportIntervalMs,
      initialDelayMs: 0,
      run: () => o.store.heartbeat(record),
    };
    this.#tasks = [heartbeat, ...(o.periodicTasks ?? [])].map((t) => startPeriodic(t, o.log));
    o.log.info(
      { binary: o.binary, host: o.host, topic: o.topic, service_id: record.id },
      `${o.binary} started`,
    );
  }

  /** Stops consuming, lets in-flight requests finish, stops periodic work. */
  async stop(): Promise<void> {
    await this.#listener?.stop();
    this.#listener = undefined;
    await Promise.all(this.#tasks.map((t) => t.stop()));
    this.#tasks = [];
    this.#opts.log.info({ binary: this.#opts.binary, host: this.#opts.host }, `${this.#opts.binary} stopped`);
  }
}
