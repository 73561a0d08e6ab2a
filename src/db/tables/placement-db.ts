// Kysely types of the placement database (what migrations/placement creates).
import type { DbTime, DefaultInt, Id } from './column-types.ts';

interface Stamped {
  created_at: DbTime;
  updated_at: DbTime;
}

export interface ResourceProvidersTable extends Stamped {
  id: Id;
  uuid: string;
  name: string;
  generation: DefaultInt;
  root_provider_id: number | null;
  parent_provider_id: number | null;
}

export interface ResourceClassesTable extends Stamped {
  id: number;
  name: string;
}

export interface TraitsTable extends Stamped {
  id: Id;
  name: string;
}

export interface ResourceProviderTraitsTable extends Stamped {
  resource_provider_id: number;
  trait_id: number;
}

export interface PlacementAggregatesTable extends Stamped {
  id: Id;
  uuid: string;
}

export interface ResourceProviderAggregatesTable extends Stamped {
  resource_provider_id: number;
  aggregate_id: number;
}

export interface InventoriesTable extends Stamped {
  id: Id;
  resource_provider_id: number;
  resource_class_id: number;
  total: number;
  reserved: number;
  min_unit: number;
  max_unit: number;
  step_size: number;
  allocation_ratio: number;
}

export interface ExternalIdsTable extends Stamped {
  id: Id;
  external_id: string;
}

export interface ConsumerTypesTable extends Stamped {
  id: Id;
  name: string;
}

export interface ConsumersTable extends Stamped {
  id: Id;
  uuid: string;
  project_id: number;
  user_id: number;
  generation: DefaultInt;
  consumer_type_id: number | null;
}

export interface AllocationsTable extends Stamped {
  id: Id;
  resource_provider_id: number;
  consumer_id: string;
  resource_class_id: number;
  used: number;
}

export interface PlacementDb {
  resource_providers: ResourceProvidersTable;
  resource_classes: ResourceClassesTable;
  traits: TraitsTable;
  resource_provider_traits: ResourceProviderTraitsTable;
  placement_aggregates: PlacementAggregatesTable;
  resource_provider_aggregates: ResourceProviderAggregatesTable;
  inventories: InventoriesTable;
  projects: ExternalIdsTable;
  users: ExternalIdsTable;
  consumer_types: ConsumerTypesTable;
  consumers: ConsumersTable;
  allocations: AllocationsTable;
}
