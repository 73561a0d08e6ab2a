// Network database migrations, in apply order.
import type { SchemaMigration } from '../types.ts';
import { up as initial } from './0001_initial.ts';

export const NETWORK_MIGRATIONS: readonly SchemaMigration[] = Object.freeze([
  { name: '0001_initial', up: initial },
]);
