// API database migrations, in apply order. Add new ones at the end; never edit an applied one.
import type { SchemaMigration } from '../types.ts';
import * as m0001 from './0001_initial.ts';
import * as m0002 from './0002_compute_resources.ts';

export const API_MIGRATIONS: readonly SchemaMigration[] = Object.freeze([
  { name: '0001_initial', up: m0001.up },
  { name: '0002_compute_resources', up: m0002.up },
]);
