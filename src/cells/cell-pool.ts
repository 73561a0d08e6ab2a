// One connection per cell database URL, opened on first use and shared (cells v2 code reaches
// many cell databases; each is connected once per process).
import type { Logger } from '../common/log.ts';
import { connectDatabase, type Database } from '../db/index.ts';

export interface CellPool {
  open(url: string): Promise<Database>;
  /** Adds an already open database (closed with the pool). */
  adopt(url: string, db: Database): void;
  closeAll(): Promise<void>;
}

export function createCellPool(log?: Logger): CellPool {
  const open = new Map<string, Promise<Database>>();
  return {
    open(url) {
      let db = open.get(url);
      if (!db) {
        db = connectDatabase(url, { log });
        open.set(url, db);
        // A failed connect is not cached: the next open() tries again.
        db.catch(() => open.delete(url));
      }
      return db;
    },
    adopt(url, db) {
      open.set(url, Promise.resolve(db));
    },
    async closeAll() {
      const all = await Promise.allSettled(open.values());
      open.clear();
      for (const r of all) if (r.status === 'fulfilled') await r.value.close();
    },
  };
}
