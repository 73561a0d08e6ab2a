// The placement API bodies Nova's placement client reads and writes, as TypeScript types.
import type { InventoryRecord } from '../virt/driver.ts';

export type { InventoryRecord };

/** A resource provider (GET /resource_providers/{uuid} at 1.14+). */
export interface ProviderInfo {
  readonly uuid: string;
  readonly name: string;
  readonly generation: number;
  readonly parent_provider_uuid: string | null;
  readonly root_provider_uuid: string;
}

/** Amounts by resource class. */
export type Resources = Readonly<Record<string, number>>;

/** Allocations by resource provider uuid, in placement's dict form. */
export type AllocationsByProvider = Readonly<Record<string, { readonly resources: Resources }>>;

/** One allocation request of GET /allocation_candidates (1.34+: mappings by request group suffix). */
export interface AllocationRequest {
  readonly allocations: AllocationsByProvider;
  readonly mappings?: Readonly<Record<string, readonly string[]>>;
}

export interface ProviderSummary {
  readonly resources: Readonly<Record<string, { readonly capacity: number; readonly used: number }>>;
  readonly traits?: readonly string[];
  readonly parent_provider_uuid?: string | null;
  readonly root_provider_uuid?: string;
}

export interface AllocationCandidates {
  readonly allocation_requests: readonly AllocationRequest[];
  readonly provider_summaries: Readonly<Record<string, ProviderSummary>>;
}

/** GET /allocations/{consumer} at 1.28+: an unknown consumer has no allocations and generation null. */
export interface ConsumerAllocations {
  readonly allocations: Readonly<
    Record<string, { readonly resources: Resources; readonly generation?: number }>
  >;
  readonly consumer_generation: number | null;
  readonly project_id?: string;
  readonly user_id?: string;
}

/** GET /resource_providers/{uuid}/allocations at 1.28+. */
export interface ProviderAllocations {
  readonly allocations: Readonly<
    Record<string, { readonly resources: Resources; readonly consumer_generation?: number | null }>
  >;
  readonly resource_provider_generation: number;
}

/** What a set* call did: whether it wrote anything, and the provider generation afterwards. */
export interface ProviderUpdate {
  readonly changed: boolean;
  readonly generation: number;
}
