// A thin typed wrapper over the qemu-img binary (Debian package qemu-utils). Every call is an
// execFile with an argument list, never a shell. Failures become one QemuImgError whose message
// carries the command's stderr on one line.
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { Fault } from '../../faults/fault.ts';

export interface QemuImgInfo {
  /** qemu-img's format name: qcow2, raw, vmdk, vdi, vpc (vhd), vhdx, … */
  readonly format: string;
  readonly virtualSize: number;
  readonly actualSize: number;
  /** The backing file as recorded in the image (full path when qemu-img resolves it). */
  readonly backingFile: string | null;
  /** A qcow2 external data file, which an image from outside must never have. */
  readonly dataFile: string | null;
}

/** qemu-img failed (or is missing); `stderr` is what it printed. */
export class QemuImgError extends Fault {
  readonly stderr: string;
  /** The failure was ENOSPC ("No space left on device"). */
  readonly noSpace: boolean;
  constructor(message: string, stderr = '') {
    super(message, 500, 'nova.qemu_img_error');
    this.stderr = stderr;
    this.noSpace = /No space left on device|ENOSPC/i.test(stderr);
  }
}

export interface RunOptions {
  /** Milliseconds before the command is killed. */
  readonly timeoutMs?: number;
  /**
   * Run under prlimit (address space 1 GiB, 30 s CPU), as upstream does for `qemu-img info` on
   * data from outside: a crafted image cannot exhaust the host.
   */
  readonly limited?: boolean;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

let prlimitPath: Promise<string | null> | undefined;
async function findPrlimit(): Promise<string | null> {
  prlimitPath ??= (async () => {
    for (const p of ['/usr/bin/prlimit', '/bin/prlimit']) {
      try {
        await access(p, constants.X_OK);
        return p;
      } catch {}
    }
    return null;
  })();
  return prlimitPath;
}

/** Runs `qemu-img <args>`; resolves with stdout. */
export async function runQemuImg(args: readonly string[], opts: RunOptions = {}): Promise<string> {
  let file = 'qemu-img';
  let argv = [...args];
  const prlimit = opts.limited ? await findPrlimit() : null;
  if (prlimit) {
    file = prlimit;
    argv = [`--as=${1024 * 1024 * 1024}`, '--cpu=30', '--', 'qemu-img', ...args];
  }
  return new Promise((resolve, reject) => {
    execFile(
      file,
      argv,
      { timeout: opts.timeoutMs ?? 0, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string };
        if (e.code === 'ENOENT')
          return reject(
            new QemuImgError('qemu-img is not installed: install the Debian package qemu-utils.', ''),
          );
        const why = oneLine(stderr) || (e.killed ? `killed (${e.signal ?? 'timeout'})` : oneLine(e.message));
        reject(new QemuImgError(`qemu-img ${args[0]} failed: ${why}`, stderr));
      },
    );
  });
}

/** True when the qemu-img binary runs. */
export async function qemuImgAvailable(): Promise<boolean> {
  try {
    await runQemuImg(['--version'], { timeoutMs: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** `qemu-img info --output=json [-U] [-f format]`. */
export async function qemuImgInfo(
  path: string,
  opts: { forceShare?: boolean; format?: string; limited?: boolean } = {},
): Promise<QemuImgInfo> {
  const args = ['info', '--output=json'];
  if (opts.forceShare) args.push('-U');
  if (opts.format) args.push('-f', opts.format);
  args.push(path);
  const out = await runQemuImg(args, { timeoutMs: 60_000, limited: opts.limited });
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(out) as Record<string, unknown>;
  } catch {
    throw new QemuImgError(`qemu-img info ${path} printed no JSON.`, out);
  }
  const data = (j['format-specific'] as { data?: Record<string, unknown> } | undefined)?.data;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return Object.freeze({
    format: String(j.format),
    virtualSize: Number(j['virtual-size'] ?? 0),
    actualSize: Number(j['actual-size'] ?? 0),
    backingFile: str(j['full-backing-filename']) ?? str(j['backing-filename']),
    dataFile: str(data?.['data-file']),
  });
}

/** `qemu-img create -f <format> [-b backing -F backing_fmt] path [size]`. */
export async function qemuImgCreate(
  path: string,
  opts: { format: 'qcow2' | 'raw'; sizeBytes?: number; backing?: { path: string; format: string } },
): Promise<void> {
  const args = ['create', '-q', '-f', opts.format];
  if (opts.backing) {
    if (opts.format !== 'qcow2') throw new QemuImgError('Only qcow2 images can have a backing file.');
    args.push('-b', opts.backing.path, '-F', opts.backing.format);
  } else if (opts.sizeBytes === undefined) {
    throw new QemuImgError(`qemu-img create ${path}: a size is needed without a backing file.`);
  }
  args.push(path);
  if (opts.sizeBytes !== undefined) args.push(String(opts.sizeBytes));
  await runQemuImg(args);
}

/** `qemu-img convert [-U] [-f in] -O out [-c] src dst`. */
export async function qemuImgConvert(
  src: string,
  dst: string,
  opts: { outFormat: 'qcow2' | 'raw'; inFormat?: string; forceShare?: boolean; compress?: boolean },
): Promise<void> {
  const args = ['convert', '-q'];
  if (opts.forceShare) args.push('-U');
  if (opts.inFormat) args.push('-f', opts.inFormat);
  args.push('-O', opts.outFormat);
  if (opts.compress) {
    if (opts.outFormat !== 'qcow2') throw new QemuImgError('Only qcow2 output can be compressed.');
    args.push('-c');
  }
  args.push(src, dst);
  await runQemuImg(args);
}

/** `qemu-img resize [-f format] path size` (growing; qemu-img itself refuses to shrink without --shrink). */
export async function qemuImgResize(path: string, sizeBytes: number, format?: string): Promise<void> {
  const args = ['resize', '-q'];
  if (format) args.push('-f', format);
  args.push(path, String(sizeBytes));
  await runQemuImg(args);
}

/**
 * `qemu-img rebase [-u] -b backing -F fmt path`. An empty `backing` flattens the image (copies
 * everything from its chain into it); `unsafe` only rewrites the header.
 */
export async function qemuImgRebase(
  path: string,
  backing: string,
  backingFormat: string,
  unsafe = false,
): Promise<void> {
  const args = ['rebase', '-q', '-f', 'qcow2'];
  if (unsafe) args.push('-u');
  args.push('-b', backing);
  if (backing !== '') args.push('-F', backingFormat);
  args.push(path);
  await runQemuImg(args);
}
