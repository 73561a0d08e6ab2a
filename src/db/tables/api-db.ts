// Kysely types of the API database (what migrations/api creates). Later issues add their tables.
import type { DbBool, DbTime, Id } from './column-types.ts';

export interface CellMappingsTable {
  id: Id;
  uuid: string;
  name: string | null;
  transport_url: string;
  database_connection: string;
  disabled: DbBool;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface HostMappingsTable {
  id: Id;
  cell_id: number;
  host: string;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface InstanceMappingsTable {
  id: Id;
  instance_uuid: string;
  cell_id: number | null;
  project_id: string;
  user_id: string | null;
  queued_for_delete: DbBool;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface ApiDb {
  cell_mappings: CellMappingsTable;
  host_mappings: HostMappingsTable;
  instance_mappings: InstanceMappingsTable;
}
