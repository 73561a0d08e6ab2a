// What every nova-manage action gets: the loaded configuration and lazily opened databases.

import { createCellPool } from '../../cells/cell-pool.ts';
import { silentLogger } from '../../common/log.ts';
import type { NovaConf } from '../../config/index.ts';
import type { Database } from '../../db/index.ts';
import { StartupError } from '../../faults/fault.ts';

export interface ManageContext {
  readonly conf: NovaConf;
  apiDb(): Promise<Database>;
  /** The database of [database] connection (this host's cell). */
  mainDb(): Promise<Database>;
  /** Any cell database by URL (cached). */
  cellDb(url: string): Promise<Database>;
  out(line: string): void;
  close(): Promise<void>;
}

export function createManageContext(conf: NovaConf, out: (line: string) => void): ManageContext {
  const pool = createCellPool(silentLogger());
  const get = (url: string) => pool.open(url);
  return {
    conf,
    out,
    apiDb() {
      const url = conf.api_database.connection;
      if (!url) {
        throw new StartupError(
          '[api_database] connection is not set in the configuration. Set it in nova.conf (or pass --config-file).',
        );
      }
      return get(url);
    },
    mainDb() {
      const url = conf.database.connection;
      if (!url) {
        throw new StartupError(
          '[database] connection is not set in the configuration. Set it in nova.conf (or pass --config-file).',
        );
      }
      return get(url);
    },
    cellDb: get,
    close: () => pool.closeAll(),
  };
}
