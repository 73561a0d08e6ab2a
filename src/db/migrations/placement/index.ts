// Placement database migrations, in apply order. None yet: the placement service adds its tables later.
import type { SchemaMigration } from '../types.ts';

export const PLACEMENT_MIGRATIONS: readonly SchemaMigration[] = Object.freeze([]);
