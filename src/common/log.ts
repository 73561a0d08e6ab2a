// Structured logging (pino). JSON lines to a file or a pipe; one readable line per record on a TTY.
// Records carry `request_id` (req-<uuid>) when they belong to a request.
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

export interface LogOptions {
  readonly name: string;
  readonly level?: string;
  /** Write JSON lines to this file (instead of stderr, unless `stderr` is set too). */
  readonly file?: string;
  /** With `file`: also write to stderr, at `stderrLevel` and above. */
  readonly stderr?: boolean;
  readonly stderrLevel?: string;
  /** Force the readable format on or off; the default is "stderr is a TTY". */
  readonly pretty?: boolean;
}

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARNING',
  50: 'ERROR',
  60: 'CRITICAL',
};
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'request_id']);

/** Formats one pino JSON record the way oslo.log prints: time pid LEVEL name [req-…] message key=value. */
export function formatRecord(line: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = new Date(Number(rec.time)).toISOString().replace('T', ' ').replace('Z', '');
  const req = rec.request_id ? `[${String(rec.request_id)}] ` : '';
  const extra = Object.entries(rec)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const level = LEVELS[Number(rec.level)] ?? String(rec.level);
  return `${time} ${String(rec.pid)} ${level} ${String(rec.name)} ${req}${String(rec.msg ?? '')}${extra ? ` ${extra}` : ''}\n`;
}

function prettyStream(out: NodeJS.WritableStream): DestinationStream {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) out.write(formatRecord(line));
      cb();
    },
  });
}

export function createLogger(opts: LogOptions): Logger {
  const level = opts.level ?? process.env.NOVA_TS_LOG_LEVEL ?? 'info';
  const stderr = (): DestinationStream =>
    (opts.pretty ?? process.stderr.isTTY)
      ? prettyStream(process.stderr)
      : pino.destination({ fd: 2, sync: true });
  if (!opts.file) return pino({ name: opts.name, level, base: { pid: process.pid } }, stderr());
  mkdirSync(dirname(opts.file), { recursive: true });
  const file = createWriteStream(opts.file, { flags: 'a' });
  if (!opts.stderr) return pino({ name: opts.name, level, base: { pid: process.pid } }, file);
  const streams = pino.multistream([
    { level: 'trace', stream: file },
    { level: (opts.stderrLevel ?? 'info') as pino.Level, stream: stderr() },
  ]);
  return pino({ name: opts.name, level, base: { pid: process.pid } }, streams);
}

/** A logger that drops everything (tests, quiet CLI commands). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
