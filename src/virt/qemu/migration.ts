// QEMU migrations as the driver uses them: live migration to another QEMU, and the managed save
// of suspend (a migration to a file through `exec:`).
import { rename, rm } from 'node:fs/promises';
import type { QmpClient } from './qmp.ts';

/** A path for an `exec:` migration URI (QEMU runs it with /bin/sh -c). */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Polls query-migrate until completed; throws on failed/cancelled, cancels when signal aborts. */
export async function waitMigration(
  qmp: QmpClient,
  timeoutMs: number,
  onStatus?: (s: Record<string, unknown>) => void,
  signal?: AbortSignal,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await qmp.execute<Record<string, unknown>>('query-migrate');
    onStatus?.(s);
    if (s.status === 'completed') return;
    if (s.status === 'failed' || s.status === 'cancelled')
      throw new Error(`Migration ${String(s.status)}: ${String(s['error-desc'] ?? 'no reason given')}`);
    if (signal?.aborted) {
      await qmp.execute('migrate_cancel').catch(() => {});
      signal.throwIfAborted();
    }
    if (Date.now() > until) throw new Error('Migration did not complete in time.');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Managed save: the stopped guest's memory goes to `path` (written aside, then renamed). */
export async function saveMemory(qmp: QmpClient, path: string): Promise<void> {
  await qmp.execute('stop');
  const tmp = `${path}.tmp`;
  try {
    await qmp.execute('migrate', { uri: `exec:cat > ${shellQuote(tmp)}` });
    await waitMigration(qmp, 600_000);
  } catch (err) {
    await rm(tmp, { force: true });
    await qmp.execute('cont').catch(() => {});
    throw err;
  }
  await rename(tmp, path);
}

/** Loads the memory a managed save wrote into a QEMU started with `-incoming defer`, runs it, drops the file. */
export async function restoreMemory(qmp: QmpClient, path: string): Promise<void> {
  await qmp.execute('migrate-incoming', { uri: `exec:cat ${shellQuote(path)}` });
  await waitMigration(qmp, 600_000);
  await qmp.execute('cont');
  await rm(path, { force: true });
}
