// Placement database migrations, in apply order. Add new ones at the end; never edit an applied one.
import type { SchemaMigration } from '../types.ts';
import * as m0001 from './0001_initial.ts';

export const PLACEMENT_MIGRATIONS: readonly SchemaMigration[] = Object.freeze([
  { name: '0001_initial', up: m0001.up },
]);
