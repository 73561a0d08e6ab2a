// API database migrations, in apply order. Add new ones at the end; never edit an applied one.
import type { SchemaMigration } from '../types.ts';
import * as m0001 from './0001_initial.ts';
import * as m0002 from './0002_compute_resources.ts';
import * as m0003 from './0003_build_requests.ts';

export const API_MIGRATIONS: readonly SchemaMigration[] = Object.freeze([
  { name: '0001_initial', up: m0001.up },
  { name: '0002_compute_resources', up: m0002.up },
  { name: '0003_build_requests', up: m0003.up },
]);
