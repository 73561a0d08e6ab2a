// Test helper: a tiny Keystone on node:http that answers POST /v3/auth/tokens for one user and
// password with numbered tokens and a given catalog, and counts the requests it got.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeKeystoneOptions {
  readonly username?: string;
  readonly password?: string;
  /** Token ids are `${prefix}${n}` (n from 1). */
  readonly tokenPrefix?: string;
  /** Lifetime of the tokens it issues, in ms from `now()`. */
  readonly lifetimeMs?: number;
  readonly now?: () => number;
  readonly catalog?: readonly unknown[];
}

export interface FakeKeystone {
  readonly url: string;
  /** Number of token requests answered 201. */
  readonly issued: number;
  /** The auth bodies received, in order. */
  readonly bodies: readonly Record<string, unknown>[];
  setCatalog(catalog: readonly unknown[]): void;
  close(): Promise<void>;
}

export async function startFakeKeystone(opts: FakeKeystoneOptions = {}): Promise<FakeKeystone> {
  let issued = 0;
  let catalog = opts.catalog ?? [];
  const bodies: Record<string, unknown>[] = [];
  const now = opts.now ?? Date.now;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.startsWith('/v3/auth/tokens')) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      bodies.push(body);
      const user = (body as { auth?: { identity?: { password?: { user?: Record<string, unknown> } } } }).auth
        ?.identity?.password?.user;
      if (user?.name !== (opts.username ?? 'nova') || user?.password !== (opts.password ?? 'secret')) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 401, title: 'Unauthorized', message: 'bad credentials' } }));
        return;
      }
      issued++;
      const expires = new Date(now() + (opts.lifetimeMs ?? 3_600_000)).toISOString();
      res.writeHead(201, {
        'content-type': 'application/json',
        'x-subject-token': `${opts.tokenPrefix ?? 'tok-'}${issued}`,
      });
      res.end(JSON.stringify({ token: { expires_at: expires, catalog, user: { name: user.name } } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get issued() {
      return issued;
    },
    bodies,
    setCatalog(c) {
      catalog = c;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
