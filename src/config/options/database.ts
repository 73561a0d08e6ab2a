// oslo.db's options: [database] (a cell database), [api_database] and [placement_database].
// [database] also answers to the pre-oslo.db names (sql_connection and friends in [DEFAULT] and
// the old [DATABASE] section).
import { defineGroup, withDeprecated } from '../group.ts';
import { boolOpt, intOpt, strOpt } from '../opt.ts';

function databaseOpts() {
  return {
    connection: strOpt({
      help:
        'Database URL, SQLAlchemy style: mysql+pymysql://user:pass@host/db, postgresql://…, ' +
        'sqlite:////absolute/path.',
      secret: true,
    }),
    slave_connection: strOpt({ help: 'URL of a read-only replica for read queries.', secret: true }),
    connection_parameters: strOpt({
      help: 'Extra query parameters appended to the connection URL.',
      default: '',
    }),
    connection_debug: intOpt({
      help: 'SQL logging: 0 none, 50 queries, 100 everything.',
      default: 0,
      min: 0,
      max: 100,
    }),
    connection_trace: boolOpt({ help: 'Add the calling code location to SQL as a comment.', default: false }),
    connection_recycle_time: intOpt({
      help: 'Seconds after which a pooled connection is replaced.',
      default: 3600,
      deprecated: [{ name: 'idle_timeout' }],
    }),
    max_pool_size: intOpt({ help: 'Connections kept open in the pool; 0 means no limit.', default: 5 }),
    max_overflow: intOpt({ help: 'Extra connections allowed beyond max_pool_size.', default: 50 }),
    pool_timeout: intOpt({ help: 'Seconds to wait for a free pooled connection.' }),
    max_retries: intOpt({ help: 'Attempts to connect at startup; -1 retries forever.', default: 10 }),
    retry_interval: intOpt({ help: 'Seconds between connection attempts.', default: 10 }),
    mysql_sql_mode: strOpt({
      help: 'SQL mode for MySQL sessions; empty leaves the server default.',
      default: 'TRADITIONAL',
    }),
    sqlite_synchronous: boolOpt({ help: 'Use synchronous mode for SQLite.', default: true }),
    db_max_retries: intOpt({
      help: 'Retries of a query that failed on a lost connection or deadlock.',
      default: 20,
    }),
    db_retry_interval: intOpt({ help: 'Seconds before the first query retry.', default: 1 }),
    db_inc_retry_interval: boolOpt({ help: 'Double the retry interval after each retry.', default: true }),
    db_max_retry_interval: intOpt({ help: 'Upper bound of the retry interval in seconds.', default: 10 }),
  };
}

const CELL_DB_HELP =
  'The cell database: instances and everything local to one cell. Not needed by nova-compute, which ' +
  'reaches the database through the conductor.';

export const databaseGroup = defineGroup(
  'database',
  'Cell database',
  CELL_DB_HELP,
  withDeprecated(databaseOpts(), {
    connection: [
      { group: 'DEFAULT', name: 'sql_connection' },
      { group: 'DATABASE', name: 'sql_connection' },
      { group: 'sql', name: 'connection' },
    ],
    slave_connection: [{ group: 'DEFAULT', name: 'sql_slave_connection' }],
    connection_debug: [{ group: 'DEFAULT', name: 'sql_connection_debug' }],
    connection_trace: [{ group: 'DEFAULT', name: 'sql_connection_trace' }],
    connection_recycle_time: [
      { group: 'DEFAULT', name: 'sql_idle_timeout' },
      { group: 'DATABASE', name: 'sql_idle_timeout' },
      { group: 'sql', name: 'idle_timeout' },
    ],
    max_pool_size: [
      { group: 'DEFAULT', name: 'sql_max_pool_size' },
      { group: 'DATABASE', name: 'sql_max_pool_size' },
    ],
    max_overflow: [
      { group: 'DEFAULT', name: 'sql_max_overflow' },
      { group: 'DATABASE', name: 'sqlalchemy_max_overflow' },
    ],
    pool_timeout: [{ group: 'DATABASE', name: 'sqlalchemy_pool_timeout' }],
    max_retries: [
      { group: 'DEFAULT', name: 'sql_max_retries' },
      { group: 'DATABASE', name: 'sql_max_retries' },
    ],
    retry_interval: [
      { group: 'DEFAULT', name: 'sql_retry_interval' },
      { group: 'DATABASE', name: 'reconnect_interval' },
    ],
  }),
);

export const apiDatabaseGroup = defineGroup(
  'api_database',
  'API database',
  'The API database: cell mappings, flavors, key pairs, aggregates, quotas and build requests, shared by all cells.',
  databaseOpts(),
);

export const placementDatabaseGroup = defineGroup(
  'placement_database',
  'Placement database',
  'The database of the placement service: resource providers, inventories, allocations, traits.',
  databaseOpts(),
);
