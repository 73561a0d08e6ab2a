// A cross-process readers/writer lock for tests sharing one RabbitMQ: every opened test transport
// holds it shared; the broker-restart test holds it exclusively, so it waits for running rabbit
// tests to finish and new ones wait until the broker is back (node --test runs files in parallel
// processes). Plain files under the temp dir; holders that died (pid gone) are ignored.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './async.ts';

const ROOT = join(tmpdir(), 'nova-ts-rabbit-test-lock');
const SHARED = join(ROOT, 'shared');
const EXCLUSIVE = join(ROOT, 'exclusive');
const POLL_MS = 100;
/** An exclusive lock without a pid file this long is from a process that died while taking it. */
const HALF_TAKEN_MS = 10_000;

export type Release = () => void;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The exclusive holder's pid when a live process holds it; clears a dead holder's lock. */
function exclusiveHolder(): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(EXCLUSIVE, 'pid'), 'utf8'));
  } catch {
    // No lock, or its owner is still writing the pid, or died doing so.
    const since = existsSync(EXCLUSIVE) ? Date.now() - statSync(EXCLUSIVE).mtimeMs : 0;
    if (since > HALF_TAKEN_MS) rmSync(EXCLUSIVE, { recursive: true, force: true });
    return undefined;
  }
  if (pid === process.pid || alive(pid)) return pid;
  rmSync(EXCLUSIVE, { recursive: true, force: true });
  return undefined;
}

function liveSharedHolders(): number {
  let live = 0;
  for (const name of readdirSync(SHARED)) {
    if (alive(Number(name.split('-')[0]))) live++;
    else rmSync(join(SHARED, name), { force: true });
  }
  return live;
}

/** Shared hold; the process holding the exclusive lock may take it too (it opens its own transports). */
export async function acquireShared(): Promise<Release> {
  mkdirSync(SHARED, { recursive: true });
  const mine = join(SHARED, `${process.pid}-${randomUUID()}`);
  for (;;) {
    writeFileSync(mine, ''); // announce first, then look: the writer looks in the opposite order
    const holder = exclusiveHolder();
    if (holder === process.pid || !existsSync(EXCLUSIVE)) break;
    rmSync(mine, { force: true });
    await sleep(POLL_MS);
  }
  return () => rmSync(mine, { force: true });
}

/** Waits for the exclusive lock, then for shared holders to leave (at most maxWaitMs for those). */
export async function acquireExclusive(maxWaitMs = 120_000): Promise<Release> {
  mkdirSync(SHARED, { recursive: true });
  for (;;) {
    try {
      mkdirSync(EXCLUSIVE);
      writeFileSync(join(EXCLUSIVE, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      exclusiveHolder();
      await sleep(POLL_MS);
    }
  }
  const deadline = Date.now() + maxWaitMs;
  while (liveSharedHolders() > 0 && Date.now() < deadline) await sleep(POLL_MS);
  // Past the deadline a shared holder is stuck; restart anyway (its test may fail, this one won't hang).
  return () => rmSync(EXCLUSIVE, { recursive: true, force: true });
}
