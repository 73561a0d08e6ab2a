// Cell database migrations (every cell, cell0 included), in apply order. Add at the end only.
import type { SchemaMigration } from '../types.ts';
import * as m0001 from './0001_initial.ts';
import * as m0002 from './0002_instances.ts';
import * as m0003 from './0003_migrations_task_log_instance_extra.ts';
import * as m0004 from './0004_instance_data.ts';

export const CELL_MIGRATIONS: readonly SchemaMigration[] = Object.freeze([
  { name: '0001_initial', up: m0001.up },
  { name: '0002_instances', up: m0002.up },
  { name: '0003_migrations_task_log_instance_extra', up: m0003.up },
  { name: '0004_instance_data', up: m0004.up },
]);
