// What the resource tracker reports to placement each period (upstream
// _update_to_placement): the compute node's provider (uuid = node uuid, name = nodename), its
// inventory, its traits and, when given, its aggregates. ProviderReporter remembers what it last
// sent per provider, so a period where nothing changed costs no request at all; the memory is
// dropped on any error and re-checked against placement every `refreshSeconds`.
import { type Clock, systemClock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { NodeResources } from '../virt/driver.ts';
import type { PlacementClient } from './client.ts';
import type { InventoryRecord } from './types.ts';

export type ReportedNode = NodeResources & { readonly uuid: string };

export interface ReportResult {
  /** False when the cache said nothing changed and placement was not asked. */
  readonly checked: boolean;
  readonly inventoryChanged: boolean;
  readonly traitsChanged: boolean;
  readonly aggregatesChanged: boolean;
}

export interface ProviderReporterOptions {
  readonly clock?: Clock;
  readonly log?: Logger;
  /**
   * Seconds after which a provider is checked against placement even when nothing changed locally
   * (upstream [compute] resource_provider_association_refresh, default 300; 0 = every time).
   */
  readonly refreshSeconds?: number;
  /** Traits on the provider the reporter leaves alone (default: CUSTOM_* and COMPUTE_STATUS_DISABLED). */
  readonly keepTrait?: (trait: string) => boolean;
}

/** Traits owned by others than the virt driver: operators' custom ones, the compute status one. */
export const defaultKeepTrait = (t: string): boolean =>
  t.startsWith('CUSTOM_') || t === 'COMPUTE_STATUS_DISABLED';

interface Sent {
  readonly name: string;
  readonly inventory: string;
  readonly traits: string;
  readonly aggregates: string | undefined;
  readonly at: number;
}

const INVENTORY_FIELDS = [
  'total',
  'reserved',
  'min_unit',
  'max_unit',
  'step_size',
  'allocation_ratio',
] as const;

function inventoryKey(inv: Readonly<Record<string, InventoryRecord>>): string {
  return JSON.stringify(
    Object.keys(inv)
      .sort()
      .map((rc) => [rc, ...INVENTORY_FIELDS.map((f) => inv[rc][f])]),
  );
}

const listKey = (xs: readonly string[]) => JSON.stringify([...new Set(xs)].sort());

export class ProviderReporter {
  readonly #client: PlacementClient;
  readonly #clock: Clock;
  readonly #log: Logger | undefined;
  readonly #refreshMs: number;
  readonly #keep: (trait: string) => boolean;
  readonly #sent = new Map<string, Sent>();

  constructor(client: PlacementClient, opts: ProviderReporterOptions = {}) {
    this.#client = client;
    this.#clock = opts.clock ?? systemClock;
    this.#log = opts.log;
    this.#refreshMs = (opts.refreshSeconds ?? 300) * 1000;
    this.#keep = opts.keepTrait ?? defaultKeepTrait;
  }

  get client(): PlacementClient {
    return this.#client;
  }

  /** Reports one node; `hostAggregates` (placement aggregate uuids) are set when given. */
  async report(node: ReportedNode, hostAggregates?: readonly string[]): Promise<ReportResult> {
    const want: Omit<Sent, 'at'> = {
      name: node.nodename,
      inventory: inventoryKey(node.inventory),
      traits: listKey(node.traits),
      aggregates: hostAggregates ? listKey(hostAggregates) : undefined,
    };
    const now = this.#clock.now().getTime();
    const last = this.#sent.get(node.uuid);
    const fresh = last !== undefined && now - last.at < this.#refreshMs;
    if (
      fresh &&
      last.name === want.name &&
      last.inventory === want.inventory &&
      last.traits === want.traits &&
      (want.aggregates === undefined || last.aggregates === want.aggregates)
    )
      return { checked: false, inventoryChanged: false, traitsChanged: false, aggregatesChanged: false };

    this.#sent.delete(node.uuid);
    const c = this.#client;
    if (!fresh || last.name !== want.name) await c.ensureProvider(node.uuid, node.nodename);
    const inv =
      fresh && last.inventory === want.inventory
        ? false
        : (await c.setInventory(node.uuid, node.inventory)).changed;
    const traits =
      fresh && last.traits === want.traits
        ? false
        : (await c.setTraits(node.uuid, node.traits, { keep: this.#keep })).changed;
    const aggs =
      hostAggregates === undefined || (fresh && last.aggregates === want.aggregates)
        ? false
        : (await c.setAggregates(node.uuid, hostAggregates)).changed;
    if (inv || traits || aggs)
      this.#log?.info(
        { provider: node.uuid, inventory: inv, traits, aggregates: aggs },
        'Updated the compute node resource provider',
      );
    this.#sent.set(node.uuid, {
      ...want,
      aggregates: want.aggregates ?? (fresh ? last.aggregates : undefined),
      at: fresh ? last.at : now,
    });
    return { checked: true, inventoryChanged: inv, traitsChanged: traits, aggregatesChanged: aggs };
  }

  /** Forgets what was sent for a provider (it was deleted, or something else changed it). */
  forget(uuid: string): void {
    this.#sent.delete(uuid);
  }
}

/** One report of a node: through a reporter (cached), or straight through a client (always checks). */
export function reportNode(
  via: ProviderReporter | PlacementClient,
  node: ReportedNode,
  hostAggregates?: readonly string[],
): Promise<ReportResult> {
  const reporter = via instanceof ProviderReporter ? via : new ProviderReporter(via, { refreshSeconds: 0 });
  return reporter.report(node, hostAggregates);
}
