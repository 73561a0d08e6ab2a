// Every database schema nova-ts owns, each with its ordered migration list (explicit; no scanning).
import { API_MIGRATIONS } from './api/index.ts';
import { CELL_MIGRATIONS } from './cell/index.ts';
import { IDENTITY_MIGRATIONS } from './identity/index.ts';
import { IMAGE_MIGRATIONS } from './image/index.ts';
import { NETWORK_MIGRATIONS } from './network/index.ts';
import { PLACEMENT_MIGRATIONS } from './placement/index.ts';
import type { SchemaMigration } from './types.ts';

export type { SchemaMigration } from './types.ts';

export const SCHEMAS = Object.freeze({
  api: API_MIGRATIONS,
  cell: CELL_MIGRATIONS,
  placement: PLACEMENT_MIGRATIONS,
  identity: IDENTITY_MIGRATIONS,
  image: IMAGE_MIGRATIONS,
  network: NETWORK_MIGRATIONS,
} satisfies Record<string, readonly SchemaMigration[]>);

export type SchemaName = keyof typeof SCHEMAS;
