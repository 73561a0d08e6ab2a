import type { Kysely } from 'kysely';
import type { DbCapabilities } from '../dialects/types.ts';

/** One versioned schema change. Names sort in apply order: `0001_initial`, `0002_…`. */
export interface SchemaMigration {
  readonly name: string;
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
  up(db: Kysely<any>, caps: DbCapabilities): Promise<void>;
}
