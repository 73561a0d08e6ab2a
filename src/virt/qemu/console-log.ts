// The serial console log of a guest: QEMU appends everything the guest writes on its serial port to
// console.log (chardev logfile, opened O_APPEND). Rotation copies it to console.log.0 and truncates it
// in place — QEMU keeps writing at the new end — so the log never grows past about twice the limit.
import { copyFile, open, readFile, stat, truncate } from 'node:fs/promises';

/** Upstream keeps 100 KiB of console per guest; we keep up to 1 MiB before rotating. */
export const CONSOLE_ROTATE_BYTES = 1024 * 1024;

export async function rotateConsoleLog(path: string, limit = CONSOLE_ROTATE_BYTES): Promise<boolean> {
  const st = await stat(path).catch(() => null);
  if (st === null || st.size <= limit) return false;
  await copyFile(path, `${path}.0`);
  await truncate(path, 0);
  return true;
}

/** The console as text: the rotated part then the current one, at most `maxBytes` from the end. */
export async function readConsoleLog(path: string, maxBytes = 2 * CONSOLE_ROTATE_BYTES): Promise<string> {
  const parts: Buffer[] = [];
  for (const p of [`${path}.0`, path]) {
    const b = await readFile(p).catch(() => null);
    if (b !== null) parts.push(b);
  }
  let all = Buffer.concat(parts);
  if (all.length > maxBytes) all = all.subarray(all.length - maxBytes);
  return all.toString('utf8').replace(/\r\n/g, '\n');
}

/** Appends a line to the console log (driver notes such as "guest migrated here"). */
export async function appendConsoleNote(path: string, line: string): Promise<void> {
  const fh = await open(path, 'a');
  try {
    await fh.write(`${line}\n`);
  } finally {
    await fh.close();
  }
}
