// The console proxies as operators run them (the nova-novncproxy and nova-serialproxy binaries,
// nova.conf with an API database whose cell mappings lead to the cell holding the tokens) in front
// of real QEMU guests: the RFB handshake through the websocket, kernel output through the serial
// proxy, and Debian's Chromium showing the guest's screen on /vnc_auto.html.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { connectDatabase, type Database } from '../../src/db/index.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { CellDb } from '../../src/db/tables/cell-db.ts';
import * as cellMappings from '../../src/objects/cell-mapping.ts';
import * as consoleTokens from '../../src/objects/console-auth-token.ts';
import { type DaemonProcess, startDaemon } from './daemon-process.ts';
import { freePorts } from './free-ports.ts';
import {
  CANVAS_COLOURS,
  hostKernel,
  QEMU,
  type QemuConsoleGuest,
  startQemuConsoleGuest,
} from './qemu-console.ts';

const CHROMIUM = '/usr/bin/chromium';

/** In the page: how many colours noVNC's canvas shows (0 while it is missing or one flat colour). */

/** A websocket that buffers what it received; `read(n)` waits for n more bytes. */
function wsReader(ws: WebSocket) {
  let buf = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  ws.on('message', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    wake?.();
  });
  return {
    async read(n: number, ms = 15_000): Promise<Buffer> {
      const end = Date.now() + ms;
      while (buf.length < n) {
        if (Date.now() > end) throw new Error(`waited ${ms} ms for ${n} bytes, have ${buf.length}`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 200);
        });
      }
      const out = buf.subarray(0, n);
      buf = buf.subarray(n);
      return out;
    },
    text: () => buf.toString('latin1'),
  };
}

function connect(url: string): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['binary']);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', (err) => {
      if (!err.message.includes('Unexpected server response')) reject(err);
    });
  });
}

describe('console proxies in front of QEMU', { skip: QEMU ? false : 'needs qemu-system-x86' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'novats-consoles-'));
  let cell: Database<CellDb>;
  let conf: string;
  let novncPort: number;
  let serialPort: number;
  const daemons: DaemonProcess[] = [];
  const guests: QemuConsoleGuest[] = [];
  const authorize = async (type: string, g: QemuConsoleGuest, port?: number) =>
    (
      await consoleTokens.authorize(
        cell,
        {
          console_type: type,
          host: '127.0.0.1',
          port: port ?? ('port' in g.vnc ? g.vnc.port : 0),
          internal_access_path: 'path' in g.vnc && port === undefined ? g.vnc.path : null,
          instance_uuid: `inst-${type}`,
        },
        600,
        new Date(),
      )
    ).token;
  let cellConf: string;
  const daemon = async (bin: string, file = conf) => {
    const d = startDaemon(bin, ['--config-file', file]);
    daemons.push(d);
    await d.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/);
    return d;
  };

  before(async () => {
    const apiUrl = `sqlite:///${join(dir, 'nova_api.sqlite')}`;
    const cellUrl = `sqlite:///${join(dir, 'nova.sqlite')}`;
    const api = await connectDatabase(apiUrl);
    await migrateToLatest(api, 'api');
    await cellMappings.create(
      api,
      { name: 'cell1', transport_url: 'none:///', database_connection: cellUrl },
      new Date(),
    );
    await api.close();
    cell = await connectDatabase<CellDb>(cellUrl);
    await migrateToLatest(cell, 'cell');
    [novncPort, serialPort] = await freePorts(2);
    conf = join(dir, 'nova.conf');
    writeFileSync(
      conf,
      `[api_database]\nconnection = ${apiUrl}\n[vnc]\nnovncproxy_host = 127.0.0.1\nnovncproxy_port = ${novncPort}\n` +
        `[serial_console]\nserialproxy_host = 127.0.0.1\nserialproxy_port = ${serialPort}\n`,
    );
    // A per-cell proxy, as upstream deploys them: only the cell's database.
    cellConf = join(dir, 'cell.conf');
    writeFileSync(
      cellConf,
      `[database]\nconnection = ${cellUrl}\n[serial_console]\nserialproxy_host = 127.0.0.1\nserialproxy_port = ${serialPort}\n`,
    );
  });
  after(async () => {
    for (const d of daemons) assert.equal(await d.stop(), 0, 'SIGTERM stops a proxy cleanly');
    for (const g of guests) await g.stop();
    await cell?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('nova-novncproxy: the websocket reaches QEMU VNC over TCP, the RFB handshake goes through, the token is used up', async () => {
    await daemon('nova-novncproxy');
    const guest = await startQemuConsoleGuest({ vnc: 'tcp' });
    guests.push(guest);
    const token = await authorize('novnc', guest);
    const ws = await connect(`ws://127.0.0.1:${novncPort}/?token=${token}`);
    assert.ok(ws instanceof WebSocket, `refused: ${ws}`);
    const rfb = wsReader(ws);
    assert.equal((await rfb.read(12)).toString(), 'RFB 003.008\n');
    ws.send(Buffer.from('RFB 003.008\n'));
    const nTypes = (await rfb.read(1))[0];
    assert.ok([...(await rfb.read(nTypes))].includes(1), 'QEMU without a password offers None');
    ws.send(Buffer.from([1]));
    assert.equal((await rfb.read(4)).readUInt32BE(0), 0, 'SecurityResult OK');
    ws.send(Buffer.from([1])); // ClientInit, shared
    const init = await rfb.read(24);
    const [width, height] = [init.readUInt16BE(0), init.readUInt16BE(2)];
    assert.ok(width >= 320 && height >= 200, `framebuffer ${width}x${height}`);
    assert.equal((await rfb.read(init.readUInt32BE(20))).toString(), 'QEMU (nova-ts-console-test)');
    ws.close();
    assert.equal(await consoleTokens.findByToken(cell, token), undefined, 'the token row is gone');
    assert.equal(await connect(`ws://127.0.0.1:${novncPort}/?token=${token}`), 401, 'single use');
  });

  test('nova-serialproxy (per-cell [database] config): kernel output of a QEMU serial chardev comes through; a VNC token is refused', {
    skip: hostKernel() ? false : 'needs linux-image-cloud-amd64 (a kernel to print on the serial port)',
  }, async () => {
    await daemon('nova-serialproxy', cellConf);
    const guest = await startQemuConsoleGuest({ serial: true });
    const chardev = guest.serialPort ?? 0;
    guests.push(guest);
    const vncToken = await authorize('novnc', guest);
    assert.equal(await connect(`ws://127.0.0.1:${serialPort}/?token=${vncToken}`), 403);
    const ws = await connect(
      `ws://127.0.0.1:${serialPort}/?token=${await authorize('serial', guest, chardev)}`,
    );
    assert.ok(ws instanceof WebSocket, `refused: ${ws}`);
    const serial = wsReader(ws);
    for (const end = Date.now() + 90_000; !/Linux version/.test(serial.text()); ) {
      assert.ok(Date.now() < end, `no kernel banner on the serial console: ${serial.text().slice(-500)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    ws.close();
  });

  test('Chromium opens /vnc_auto.html?token=… and shows the guest screen', {
    skip: existsSync(CHROMIUM) ? false : `needs Debian chromium (${CHROMIUM})`,
  }, async () => {
    if (!daemons.some((d) => /nova-novncproxy/.test(d.output()))) await daemon('nova-novncproxy');
    const guest = await startQemuConsoleGuest({ vnc: 'unix' });
    guests.push(guest);
    const token = await authorize('novnc', guest);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1024, height: 768 }, bypassCSP: true });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // What os-remote-consoles hands out: the token inside `path`.
      await page.goto(consoleTokens.accessUrl('novnc', `http://127.0.0.1:${novncPort}/vnc_auto.html`, token));
      await page.waitForSelector('body[data-state=connected]', { timeout: 30_000 });
      assert.match((await page.textContent('#status')) ?? '', /^Connected/);
      // The BIOS draws text: wait until the canvas holds more than one colour.
      const colours = await page.waitForFunction(CANVAS_COLOURS, undefined, {
        timeout: 30_000,
        polling: 250,
      });
      assert.ok(Number(await colours.jsonValue()) > 1, 'the canvas is not one flat colour');
      const shot = join(dir, 'console.png');
      await page.screenshot({ path: shot });
      assert.ok(statSync(shot).size > 5000, 'a screenshot with content');
      if (process.env.NOVA_TS_CONSOLE_SCREENSHOT)
        await page.screenshot({ path: process.env.NOVA_TS_CONSOLE_SCREENSHOT });
      assert.deepEqual(errors, []);
      assert.equal(await consoleTokens.findByToken(cell, token), undefined, 'the token row is gone');
    } finally {
      await browser.close();
    }
  });
});
