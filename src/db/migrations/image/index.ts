// Image database migrations, in apply order. None yet: the image service adds its tables later.
import type { SchemaMigration } from '../types.ts';

export const IMAGE_MIGRATIONS: readonly SchemaMigration[] = Object.freeze([]);
