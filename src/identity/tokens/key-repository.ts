// The Fernet key repository, laid out as Keystone's (`[fernet_tokens] key_repository`): files named
// 0, 1, 2, … each holding one key. 0 is the staged key, the highest number is the primary (new
// tokens), the others are secondary (still accepted). Rotation promotes the staged key to primary,
// stages a new 0, and drops the oldest secondaries beyond max_active_keys.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { StartupError } from '../../faults/fault.ts';
import { type FernetKey, generateKey, parseKey } from './fernet.ts';

export const DEFAULT_MAX_ACTIVE_KEYS = 3;

export interface KeySet {
  /** Encrypts new tokens. */
  readonly primary: FernetKey;
  /** Decryption order: primary first, then the rest (secondaries and staged). */
  readonly all: readonly FernetKey[];
}

function keyIndexes(dir: string): number[] {
  return readdirSync(dir)
    .filter((f) => /^\d+$/.test(f))
    .map(Number)
    .sort((a, b) => a - b);
}

function writeKey(dir: string, index: number): void {
  const tmp = join(dir, `.${index}.tmp`);
  writeFileSync(tmp, generateKey(), { mode: 0o600 });
  renameSync(tmp, join(dir, String(index)));
}

/** Creates the directory with a staged (0) and a primary (1) key when it holds none (keystone-manage fernet_setup). */
export function setupKeys(dir: string): boolean {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  if (keyIndexes(dir).length > 0) return false;
  writeKey(dir, 0);
  writeKey(dir, 1);
  return true;
}

/** keystone-manage fernet_rotate: staged → primary, new staged, prune beyond maxActive. Returns the new primary index. */
export function rotateKeys(dir: string, maxActive = DEFAULT_MAX_ACTIVE_KEYS): number {
  if (!existsSync(dir) || keyIndexes(dir).length === 0) setupKeys(dir);
  const indexes = keyIndexes(dir);
  const primary = Math.max(...indexes) + 1;
  if (indexes.includes(0)) renameSync(join(dir, '0'), join(dir, String(primary)));
  else writeKey(dir, primary);
  writeKey(dir, 0);
  const secondaries = keyIndexes(dir).filter((i) => i !== 0 && i !== primary);
  const excess = secondaries.length - Math.max(0, maxActive - 2);
  for (const i of secondaries.slice(0, Math.max(0, excess))) unlinkSync(join(dir, String(i)));
  return primary;
}

export function loadKeys(dir: string): KeySet {
  if (!existsSync(dir))
    throw new StartupError(
      `The Fernet key repository ${dir} does not exist. Run "nova-ts identity bootstrap" (or rotate-keys).`,
    );
  const indexes = keyIndexes(dir);
  if (indexes.length === 0)
    throw new StartupError(
      `The Fernet key repository ${dir} holds no keys. Run "nova-ts identity rotate-keys".`,
    );
  const ordered = [...indexes].sort((a, b) => b - a);
  const keys = ordered.map((i) => {
    try {
      return parseKey(readFileSync(join(dir, String(i)), 'utf8'));
    } catch (err) {
      throw new StartupError(`Fernet key ${join(dir, String(i))} is unreadable: ${(err as Error).message}.`);
    }
  });
  return Object.freeze({ primary: keys[0], all: Object.freeze(keys) });
}

/**
 * The keys of a directory, reloaded when its files change (another process rotated them); the check
 * is a stat at most every `checkEveryMs`.
 */
export class KeyRepository {
  readonly dir: string;
  #keys: KeySet;
  #stamp: string;
  #checkedAt = 0;
  readonly #checkEveryMs: number;

  constructor(dir: string, checkEveryMs = 5000) {
    this.dir = dir;
    this.#checkEveryMs = checkEveryMs;
    this.#keys = loadKeys(dir);
    this.#stamp = this.#stampOf();
  }

  #stampOf(): string {
    try {
      return keyIndexes(this.dir)
        .map((i) => `${i}:${statSync(join(this.dir, String(i))).mtimeMs}`)
        .join(',');
    } catch {
      return '';
    }
  }

  /** The current keys; nowMs lets tests force a reload check. */
  keys(nowMs = Date.now()): KeySet {
    if (nowMs - this.#checkedAt >= this.#checkEveryMs) {
      this.#checkedAt = nowMs;
      const stamp = this.#stampOf();
      if (stamp !== this.#stamp && stamp !== '') {
        this.#keys = loadKeys(this.dir);
        this.#stamp = stamp;
      }
    }
    return this.#keys;
  }

  reload(): void {
    this.#keys = loadKeys(this.dir);
    this.#stamp = this.#stampOf();
  }

  #missAt = 0;
  /**
   * After a token no key opens: re-read the keys (another node may have rotated) at most once a
   * second, so a flood of bad tokens does not become a flood of directory reads. True if reloaded.
   */
  reloadAfterMiss(nowMs = Date.now()): boolean {
    if (nowMs - this.#missAt < 1000) return false;
    this.#missAt = nowMs;
    const stamp = this.#stampOf();
    if (stamp === this.#stamp || stamp === '') return false;
    this.reload();
    return true;
  }
}
