// Fernet (the spec Keystone's tokens use): version 0x80 | timestamp (8 bytes, seconds) | IV (16) |
// AES-128-CBC ciphertext | HMAC-SHA256 (32) over everything before it, base64url without padding.
// A key is 32 bytes, base64url: the first 16 sign, the last 16 encrypt.
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

const VERSION = 0x80;
const HEADER = 1 + 8 + 16;
const MAC = 32;

export interface FernetKey {
  /** KeyObjects made once: building them from raw bytes on every token costs more than the crypto. */
  readonly signing: KeyObject;
  readonly encryption: KeyObject;
}

/** A key as stored in the key repository (base64url of 32 bytes). */
export function parseKey(text: string): FernetKey {
  const raw = Buffer.from(text.trim(), 'base64url');
  if (raw.length !== 32) throw new Error('a Fernet key must be 32 bytes of url-safe base64');
  return Object.freeze({
    signing: createSecretKey(raw.subarray(0, 16)),
    encryption: createSecretKey(raw.subarray(16)),
  });
}

export const generateKey = (): string => randomBytes(32).toString('base64url').concat('=');

export function encrypt(key: FernetKey, plaintext: Buffer, nowSeconds: number): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-cbc', key.encryption, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const head = Buffer.alloc(9);
  head[0] = VERSION;
  head.writeBigUInt64BE(BigInt(Math.floor(nowSeconds)), 1);
  const signed = Buffer.concat([head, iv, body]);
  const mac = createHmac('sha256', key.signing).update(signed).digest();
  return Buffer.concat([signed, mac]).toString('base64url');
}

export interface Decrypted {
  readonly plaintext: Buffer;
  /** The Fernet timestamp (seconds since the epoch). */
  readonly timestamp: number;
}

/** The plaintext when some key verifies and decrypts the token; undefined otherwise (never throws). */
export function decrypt(keys: readonly FernetKey[], token: string): Decrypted | undefined {
  let raw: Buffer;
  try {
    raw = Buffer.from(token, 'base64url');
  } catch {
    return undefined;
  }
  if (raw.length < HEADER + 16 + MAC || raw[0] !== VERSION || (raw.length - HEADER - MAC) % 16 !== 0)
    return undefined;
  const signed = raw.subarray(0, raw.length - MAC);
  const mac = raw.subarray(raw.length - MAC);
  for (const key of keys) {
    const expected = createHmac('sha256', key.signing).update(signed).digest();
    if (!timingSafeEqual(expected, mac)) continue;
    try {
      const decipher = createDecipheriv('aes-128-cbc', key.encryption, raw.subarray(9, HEADER));
      const plaintext = Buffer.concat([
        decipher.update(raw.subarray(HEADER, raw.length - MAC)),
        decipher.final(),
      ]);
      return { plaintext, timestamp: Number(raw.readBigUInt64BE(1)) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
