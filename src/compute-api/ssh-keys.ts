// Key material for key pairs: RSA generation in OpenSSH form (the private key once, PEM), MD5
// fingerprints of OpenSSH public keys (colon form, as nova.crypto), X.509 SHA-1 fingerprints, and
// the x509 certificate generation upstream does with the openssl command.
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Invalid } from '../faults/fault.ts';

export class InvalidKeypair extends Invalid {
  constructor(reason: string) {
    super(`Keypair data is invalid: ${reason}`, 'nova.invalid_keypair');
  }
}

const colons = (hex: string) => hex.match(/../g)!.join(':');

function sshString(buf: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length);
  return Buffer.concat([len, buf]);
}

/** An unsigned big-endian integer as SSH mpint (leading zero when the top bit is set). */
function mpint(b64url: string): Buffer {
  let b = Buffer.from(b64url, 'base64url');
  while (b.length > 1 && b[0] === 0 && (b[1] & 0x80) === 0) b = b.subarray(1);
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return sshString(b);
}

function readStrings(blob: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let i = 0;
  while (i < blob.length) {
    if (i + 4 > blob.length) throw new Error('truncated');
    const n = blob.readUInt32BE(i);
    if (i + 4 + n > blob.length) throw new Error('truncated');
    out.push(blob.subarray(i + 4, i + 4 + n));
    i += 4 + n;
  }
  return out;
}

const KEY_TYPES = new Set([
  'ssh-rsa',
  'ssh-dss',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
]);

/** Checks an OpenSSH public key line; the key blob must parse and name the same type. */
function parseSshPublicKey(line: string): Buffer {
  const parts = line.trim().split(/\s+/);
  if (parts.length < 2 || !KEY_TYPES.has(parts[0])) throw new Error('not an OpenSSH public key');
  const blob = Buffer.from(parts[1], 'base64');
  if (blob.toString('base64').replace(/=+$/, '') !== parts[1].replace(/=+$/, ''))
    throw new Error('bad base64');
  const fields = readStrings(blob);
  if (fields[0]?.toString() !== parts[0]) throw new Error('key type mismatch');
  if (parts[0] === 'ssh-rsa') {
    const [, e, n] = fields;
    if (!e || !n) throw new Error('bad RSA key');
    createPublicKey({
      key: { kty: 'RSA', e: e.toString('base64url'), n: n.toString('base64url') },
      format: 'jwk',
    });
  } else if (parts[0] === 'ssh-ed25519' && fields[1]?.length !== 32) throw new Error('bad ed25519 key');
  return blob;
}

/** nova.crypto.generate_fingerprint: MD5 of the key blob, colon separated. */
export function sshFingerprint(publicKey: string): string {
  try {
    return colons(createHash('md5').update(parseSshPublicKey(publicKey)).digest('hex'));
  } catch {
    throw new InvalidKeypair('failed to generate fingerprint');
  }
}

/** nova.crypto.generate_x509_fingerprint: SHA-1 of the certificate, lower-case colon form. */
export function x509Fingerprint(pem: string): string {
  try {
    return new X509Certificate(pem).fingerprint.toLowerCase();
  } catch (err) {
    throw new InvalidKeypair(`failed to generate X509 fingerprint. Error message: ${(err as Error).message}`);
  }
}

export interface GeneratedKey {
  readonly privateKey: string;
  readonly publicKey: string;
  readonly fingerprint: string;
}

/** An RSA 2048 key: PEM private key, `ssh-rsa … Generated-by-Nova` public key. */
export function generateSshKey(bits = 2048): GeneratedKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicExponent: 65537,
  });
  const jwk = publicKey.export({ format: 'jwk' }) as { e: string; n: string };
  const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(jwk.e), mpint(jwk.n)]);
  const pub = `ssh-rsa ${blob.toString('base64')} Generated-by-Nova`;
  return Object.freeze({
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKey: pub,
    fingerprint: sshFingerprint(pub),
  });
}

const OPENSSL_CONF = (upn: string) => `[ req ]
distinguished_name = req_distinguished_name
[ req_distinguished_name ]
[ v3_req_client ]
extendedKeyUsage = clientAuth
subjectAltName = otherName:1.3.6.1.4.1.311.20.2.3;UTF8:${upn}
`;

/** What upstream's generate_winrm_x509_cert gives: a client certificate and its PKCS#12 key. */
export function generateX509(userId: string, bits = 2048): GeneratedKey {
  const dir = mkdtempSync(join(tmpdir(), 'novats-x509-'));
  try {
    const key = join(dir, 'temp.key');
    const conf = join(dir, 'temp.conf');
    writeFileSync(conf, OPENSSL_CONF(`${userId}@localhost`));
    const cert = execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-nodes',
        '-days',
        '3650',
        '-config',
        conf,
        '-newkey',
        `rsa:${bits}`,
        '-outform',
        'PEM',
        '-keyout',
        key,
        '-subj',
        `/CN=${userId}`,
        '-extensions',
        'v3_req_client',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    ).toString();
    const p12 = execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-password', 'pass:'], {
      input: cert,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    return Object.freeze({
      privateKey: p12.toString('base64'),
      publicKey: cert,
      fingerprint: x509Fingerprint(cert),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
