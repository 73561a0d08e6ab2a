// Identity database migrations, in apply order. None yet: the identity service adds its tables later.
import type { SchemaMigration } from '../types.ts';

export const IDENTITY_MIGRATIONS: readonly SchemaMigration[] = Object.freeze([]);
