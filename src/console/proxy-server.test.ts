// The console proxy against stand-in console endpoints (a TCP and a unix-socket server that greet
// like a VNC server and echo): who is refused with which status, and that bytes go through.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { ManualClock } from '../common/clock.ts';
import { createLogger } from '../common/log.ts';
import { connectDatabase, type Database } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import * as tokens from '../objects/console-auth-token.ts';
import { novncWeb } from './novnc-web.ts';
import { type ConsoleProxy, startConsoleProxy } from './proxy-server.ts';

const BANNER = 'RFB 003.008\n';

/** A console endpoint: sends the banner, then echoes. */
function fakeConsole(listen: (s: net.Server) => void): Promise<net.Server> {
  const server = net.createServer((sock) => {
    sock.write(BANNER);
    sock.pipe(sock);
    sock.on('error', () => {});
  });
  return new Promise((resolve) => {
    server.once('listening', () => resolve(server));
    listen(server);
  });
}

type Outcome = { status: number; body: string } | { ws: WebSocket; first: Buffer };

/** Opens a websocket; resolves with the refusal or the open socket and its first message. */
function open(url: string, opts: { headers?: Record<string, string>; protocols?: string[] } = {}) {
  return new Promise<Outcome>((resolve, reject) => {
    const ws = new WebSocket(url, opts.protocols ?? ['binary'], { headers: opts.headers ?? {} });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('message', (data) => resolve({ ws, first: data as Buffer }));
    ws.once('error', (err) => {
      if (!String(err.message).includes('Unexpected server response')) reject(err);
    });
  });
}

const nextMessage = (ws: WebSocket) => new Promise<Buffer>((r) => ws.once('message', (d) => r(d as Buffer)));

describe('console proxy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'novats-console-'));
  const clock = new ManualClock(Date.now());
  let cell: Database<CellDb>;
  let tcp: net.Server;
  let unix: net.Server;
  let proxy: ConsoleProxy;
  let ws: string;
  const sockPath = join(dir, 'vnc.sock');
  const tcpPort = () => (tcp.address() as net.AddressInfo).port;
  const authorize = async (type = 'novnc', extra: Partial<tokens.ConsoleConnection> = {}, ttl = 600) =>
    (
      await tokens.authorize(
        cell,
        {
          console_type: type,
          host: '127.0.0.1',
          port: tcpPort(),
          instance_uuid: 'inst-1',
          access_url_base: 'http://127.0.0.1:6080/vnc_auto.html',
          ...extra,
        },
        ttl,
        clock.now(),
      )
    ).token;

  before(async () => {
    cell = await connectDatabase<CellDb>('sqlite://');
    await migrateToLatest(cell, 'cell');
    tcp = await fakeConsole((s) => s.listen(0, '127.0.0.1'));
    unix = await fakeConsole((s) => s.listen(sockPath));
    proxy = await startConsoleProxy({
      name: 'test-proxy',
      host: '127.0.0.1',
      port: 0,
      consoleTypes: ['novnc'],
      tokens: { cellDbs: async () => [cell], clock },
      log: createLogger({ name: 'test', level: 'silent' }),
      allowedOrigins: ['console.example.org'],
      enforceSessionTimeout: false,
      web: novncWeb(),
    });
    ws = proxy.url.replace('http', 'ws');
  });
  after(async () => {
    await proxy.stop();
    tcp.close();
    unix.close();
    await cell.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects a good token to the console, pipes both ways and uses the token up', async () => {
    const token = await authorize();
    const r = await open(`${ws}/?token=${token}`);
    assert.ok('ws' in r, `refused: ${JSON.stringify(r)}`);
    assert.equal(r.first.toString(), BANNER);
    assert.equal(r.ws.protocol, 'binary');
    assert.equal(await tokens.findByToken(cell, token), undefined, 'the token row is gone');
    r.ws.send(Buffer.from([1, 2, 3]));
    assert.deepEqual([...(await nextMessage(r.ws))], [1, 2, 3]);
    r.ws.send('text frames are bytes too');
    assert.equal((await nextMessage(r.ws)).toString(), 'text frames are bytes too');
    assert.equal(proxy.sessions(), 1);
    r.ws.close();
    await new Promise((res) => r.ws.once('close', res));
    for (let i = 0; i < 50 && proxy.sessions() > 0; i++) await new Promise((res) => setTimeout(res, 10));
    assert.equal(proxy.sessions(), 0);
  });

  it('refuses the same token a second time', async () => {
    const token = await authorize();
    const first = await open(`${ws}/websockify?token=${token}`);
    assert.ok('ws' in first);
    first.ws.close();
    const again = await open(`${ws}/websockify?token=${token}`);
    assert.deepEqual(again, { status: 401, body: 'The console token is invalid or has expired.\n' });
  });

  it('refuses expired, unknown, missing and wrong-type tokens', async () => {
    const expired = await authorize('novnc', {}, 5);
    clock.advance(6000);
    assert.equal(((await open(`${ws}/?token=${expired}`)) as { status: number }).status, 401);
    assert.equal(((await open(`${ws}/?token=nope`)) as { status: number }).status, 401);
    assert.equal(((await open(`${ws}/`)) as { status: number }).status, 401);
    const serial = await authorize('serial');
    const r = await open(`${ws}/?token=${serial}`);
    assert.equal((r as { status: number }).status, 403);
    assert.match((r as { body: string }).body, /for a serial console/);
    assert.ok(await tokens.findByToken(cell, serial), 'kept for the serial proxy');
  });

  it('takes the token from the cookie and reaches a unix-socket console', async () => {
    const token = await authorize('novnc', { internal_access_path: sockPath, port: 1 });
    const r = await open(`${ws}/`, { headers: { cookie: `other=1; token=${token}` } });
    assert.ok('ws' in r);
    assert.equal(r.first.toString(), BANNER);
    r.ws.close();
  });

  it('answers 502 when the console does not answer, 403 for a foreign origin', async () => {
    const dead = await authorize('novnc', { port: 1 });
    assert.equal(((await open(`${ws}/?token=${dead}`)) as { status: number }).status, 502);
    const token = await authorize();
    const evil = await open(`${ws}/?token=${token}`, { headers: { origin: 'http://evil.example.com' } });
    assert.equal((evil as { status: number }).status, 403);
    const ok = await open(`${ws}/?token=${token}`, { headers: { origin: 'https://console.example.org' } });
    assert.ok('ws' in ok, 'an allowed origin connects (the foreign one did not use the token up)');
    ok.ws.close();
  });

  it('answers 400 to an upgrade that is not a websocket handshake, without using the token', async () => {
    const token = await authorize();
    const answer = await new Promise<string>((resolve) => {
      const s = net.connect(proxy.port, '127.0.0.1', () =>
        s.write(`GET /?token=${token} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n`),
      );
      let got = '';
      s.on('data', (c) => {
        got += c.toString();
      });
      s.on('close', () => resolve(got));
    });
    assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*Not a websocket handshake/);
    assert.ok(await tokens.findByToken(cell, token));
  });

  it('serves the console pages and the noVNC library, nothing else', async () => {
    const page = await fetch(`${proxy.url}/vnc_auto.html?token=x`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /import RFB from '\/novnc\/core\/rfb\.js'/);
    // What Tempest's test_novnc looks for in the page.
    for (const s of ['<html', '</html>', 'noVNC', '<script']) assert.ok(html.includes(s), s);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self' 'sha256-/);
    const lite = await (await fetch(`${proxy.url}/vnc_lite.html`)).text();
    assert.match(lite, /Ctrl\+Alt\+Del/);
    const rfb = await fetch(`${proxy.url}/novnc/core/rfb.js`);
    assert.equal(rfb.status, 200);
    assert.match(rfb.headers.get('content-type') ?? '', /^text\/javascript/);
    await rfb.text();
    const pako = await fetch(`${proxy.url}/novnc/vendor/pako/lib/zlib/inflate.js`);
    assert.equal(pako.status, 200);
    await pako.text();
    for (const p of [
      '/novnc/package.json',
      '/novnc/core/../../../package.json',
      '/novnc/%2e%2e/x.js',
      '/etc',
    ])
      assert.equal((await fetch(`${proxy.url}${p}`)).status, 404, p);
    const root = await fetch(`${proxy.url}/?path=x`, { redirect: 'manual' });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/vnc_lite.html?path=x');
  });
});

describe('console proxy with [consoleauth] enforce_session_timeout', () => {
  it('closes the session when its token expires', async () => {
    const cell = await connectDatabase<CellDb>('sqlite://');
    await migrateToLatest(cell, 'cell');
    const tcp = await fakeConsole((s) => s.listen(0, '127.0.0.1'));
    const clock = new ManualClock(Date.now());
    const proxy = await startConsoleProxy({
      name: 'test-proxy',
      host: '127.0.0.1',
      port: 0,
      consoleTypes: ['serial'],
      tokens: { cellDbs: async () => [cell], clock },
      log: createLogger({ name: 'test', level: 'silent' }),
      allowedOrigins: [],
      enforceSessionTimeout: true,
    });
    try {
      const { token } = await tokens.authorize(
        cell,
        {
          console_type: 'serial',
          host: '127.0.0.1',
          port: (tcp.address() as net.AddressInfo).port,
          instance_uuid: 'inst-2',
        },
        1,
        clock.now(),
      );
      const r = await open(`${proxy.url.replace('http', 'ws')}/?token=${token}`);
      assert.ok('ws' in r);
      const started = Date.now();
      const [code, reason] = await new Promise<[number, string]>((res) =>
        r.ws.once('close', (c, why) => res([c, why.toString()])),
      );
      assert.deepEqual([code, reason], [1000, 'console session expired']);
      assert.ok(Date.now() - started < 3000);
      assert.equal(await (await fetch(`${proxy.url}/vnc_auto.html`)).status, 404, 'no pages on this proxy');
    } finally {
      await proxy.stop();
      tcp.close();
      await cell.close();
    }
  });
});
