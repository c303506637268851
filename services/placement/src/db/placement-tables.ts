import type { Generated } from 'kysely';

/** The placement database, as Kysely sees it. Timestamps are ISO-8601 strings (packages/db). */
export interface PlacementTables {
  resource_providers: {
    id: Generated<number>;
    uuid: string;
    name: string;
    generation: number;
    root_provider_id: number | null;
    parent_provider_id: number | null;
    created_at: string;
    updated_at: string;
  };
  resource_classes: { id: number; name: string; created_at: string; updated_at: string };
  traits: { id: Generated<number>; name: string; created_at: string; updated_at: string };
  inventories: {
    id: Generated<number>;
    resource_provider_id: number;
    resource_class_id: number;
    total: number;
    reserved: number;
    min_unit: number;
    max_unit: number;
    step_size: number;
    allocation_ratio: number;
    created_at: string;
    updated_at: string;
  };
  allocations: {
    id: Generated<number>;
    resource_provider_id: number;
    consumer_id: string;
    resource_class_id: number;
    used: number;
    created_at: string;
    updated_at: string;
  };
  consumer_types: { id: number; name: string; created_at: string; updated_at: string };
  consumers: {
    id: Generated<number>;
    uuid: string;
    project_id: string;
    user_id: string;
    generation: number;
    consumer_type_id: number | null;
    created_at: string;
    updated_at: string;
  };
  resource_provider_traits: { resource_provider_id: number; trait_id: number };
  resource_provider_aggregates: { resource_provider_id: number; aggregate_uuid: string };
}
