import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { noauth2Validator } from '../../../auth/noauth.ts';
import { createCellPool } from '../../../cells/cell-pool.ts';
import { silentLogger } from '../../../common/log.ts';
import { RemoteError } from '../../../faults/fault.ts';
import * as consoleTokens from '../../../objects/console-auth-token.ts';
import { createEnforcer } from '../../../policy/engine.ts';
import { createComputeApiApp } from '../app.ts';
import { COMPUTE_POLICY_DEFAULTS } from '../policies/index.ts';
import { actionRoute } from '../routing/actions.ts';
import {
  addBuildRequest,
  addServer,
  fakeServersBackend,
  type RecordedCall,
} from '../server-test-fixtures.ts';
import { ALICE, BOB, startTestApi, type TestApi } from '../test-support.ts';
import { CONSOLE_ACTION_RULES, CONSOLE_ACTIONS, REMOTE_CONSOLE_ROUTES } from './remote-consoles.ts';

const ENDPOINT = { host: '192.0.2.20', port: 5901, internal_access_path: null };
const TOKEN_IN_PATH = /^http:\/\/127\.0\.0\.1:6080\/vnc_auto\.html\?path=%3Ftoken%3D([0-9a-f-]{36})$/;

describe('remote consoles', () => {
  let t: TestApi;
  let calls: RecordedCall[];
  let vnc: () => unknown = () => ENDPOINT;
  /** An app serving only the console routes plus the legacy actions on /servers/{id}/action. */
  let legacy: FastifyInstance;

  before(async () => {
    const fake = fakeServersBackend({
      get_vnc_console: () => vnc(),
      get_serial_console: () => ({ host: '192.0.2.20', port: 10000 }),
    });
    calls = fake.calls;
    t = await startTestApi([{ group: 'serial_console', name: 'enabled', value: 'true' }], {
      servers: fake.backend,
    });
    const cells = createCellPool();
    cells.adopt('sqlite:///compute-api-test-cell1', t.cellDb);
    legacy = createComputeApiApp(
      {
        conf: t.conf,
        log: silentLogger(),
        validator: noauth2Validator(),
        enforcer: createEnforcer({
          defaults: COMPUTE_POLICY_DEFAULTS,
          enforceScope: true,
          enforceNewDefaults: true,
        }),
        apiDb: t.apiDb,
        cells,
        clock: t.clock,
        servers: fake.backend,
      },
      {
        routes: [
          ...REMOTE_CONSOLE_ROUTES,
          actionRoute({ url: '/servers/:id/action', actions: CONSOLE_ACTIONS, rules: CONSOLE_ACTION_RULES }),
        ],
      },
    );
    await legacy.ready();
  });
  after(async () => {
    await legacy.close();
    await t.close();
  });

  const url = (id: string) => `/v2.1/servers/${id}/remote-consoles`;
  const body = (protocol: string, type: string) => ({ remote_console: { protocol, type } });
  const action = (id: string, b: unknown, mv = '2.1', token = ALICE) =>
    legacy.inject({
      method: 'POST',
      url: `/v2.1/servers/${id}/action`,
      headers: {
        'x-auth-token': token,
        'openstack-api-version': `compute ${mv}`,
        'content-type': 'application/json',
      },
      payload: JSON.stringify(b),
    });

  it('hands out a noVNC URL whose token is stored hashed for the compute’s endpoint', async () => {
    const s = await addServer(t, { host: 'cmp3' });
    const r = await t.call('POST', url(s.uuid), { token: ALICE, mv: '2.6', body: body('vnc', 'novnc') });
    assert.equal(r.statusCode, 200);
    const rc = r.json().remote_console;
    assert.equal(rc.protocol, 'vnc');
    assert.equal(rc.type, 'novnc');
    const m = TOKEN_IN_PATH.exec(rc.url);
    assert.ok(m, rc.url);
    const last = calls[calls.length - 1];
    assert.equal(last.host, 'cmp3');
    assert.equal(last.method, 'get_vnc_console');
    assert.equal(last.args.instance_uuid, s.uuid);
    const row = await consoleTokens.validate(t.cellDb, m[1], t.clock.now());
    assert.equal(row?.instance_uuid, s.uuid);
    assert.equal(row?.host, '192.0.2.20');
    assert.equal(row?.port, 5901);
    assert.equal(row?.console_type, 'novnc');
    assert.equal(row?.expires, Math.floor(t.clock.now().getTime() / 1000) + 600);
    t.clock.advance(601_000);
    assert.equal(await consoleTokens.validate(t.cellDb, m[1], t.clock.now()), undefined);
  });

  it('hands out a serial console URL when serial consoles are enabled', async () => {
    const s = await addServer(t);
    const r = await t.call('POST', url(s.uuid), { token: ALICE, mv: '2.6', body: body('serial', 'serial') });
    assert.equal(r.statusCode, 200);
    assert.match(r.json().remote_console.url, /^ws:\/\/127\.0\.0\.1:6083\/\?token=[0-9a-f-]{36}$/);
  });

  it('refuses unsupported protocols and types (400) as upstream words it', async () => {
    const s = await addServer(t);
    const call = (p: string, ty: string, mv = '2.6') =>
      t.call('POST', url(s.uuid), { token: ALICE, mv, body: body(p, ty) });
    const rdp = await call('rdp', 'rdp-html5');
    assert.equal(rdp.statusCode, 400);
    assert.equal(rdp.json().badRequest.message, 'Unavailable console type rdp.');
    const spice = await call('spice', 'spice-html5');
    assert.equal(spice.json().badRequest.message, 'Unavailable console type spice-html5.');
    const xvp = await call('vnc', 'xvpvnc');
    assert.equal(xvp.statusCode, 400);
    assert.equal(xvp.json().badRequest.message, 'Invalid console type xvpvnc');
    assert.equal((await call('mks', 'webmks', '2.6')).statusCode, 400); // not in the 2.6 schema
    const mks = await call('mks', 'webmks', '2.8');
    assert.equal(mks.json().badRequest.message, 'Unavailable console type webmks.');
    assert.equal((await call('vnc', 'bogus')).statusCode, 400);
  });

  it('exists from 2.6; 404 for another project, 409 without a host or while building', async () => {
    const s = await addServer(t);
    const v25 = await t.call('POST', url(s.uuid), { token: ALICE, mv: '2.5', body: body('vnc', 'novnc') });
    assert.equal(v25.statusCode, 404);
    const bob = await t.call('POST', url(s.uuid), { token: BOB, mv: '2.6', body: body('vnc', 'novnc') });
    assert.equal(bob.statusCode, 404);
    const noHost = await addServer(t, { host: null, vm_state: 'building' });
    const r = await t.call('POST', url(noHost.uuid), { token: ALICE, mv: '2.6', body: body('vnc', 'novnc') });
    assert.equal(r.statusCode, 409);
    assert.equal(r.json().conflictingRequest.message, `Instance ${noHost.uuid} is not ready`);
    const b = await addBuildRequest(t);
    const rb = await t.call('POST', url(b), { token: ALICE, mv: '2.6', body: body('vnc', 'novnc') });
    assert.equal(rb.statusCode, 409);
    const deleting = await addServer(t, { task_state: 'deleting' });
    const rd = await t.call('POST', url(deleting.uuid), {
      token: ALICE,
      mv: '2.6',
      body: body('vnc', 'novnc'),
    });
    assert.equal(rd.statusCode, 409);
    assert.equal(
      rd.json().conflictingRequest.message,
      `Cannot 'get_vnc_console' instance ${deleting.uuid} while it is in task_state deleting`,
    );
  });

  it('answers 501 when the driver has no console', async () => {
    vnc = () => {
      throw new RemoteError('DriverNotSupported', 'get_vnc_console is not supported by this virt driver.');
    };
    try {
      const s = await addServer(t);
      const r = await t.call('POST', url(s.uuid), { token: ALICE, mv: '2.6', body: body('vnc', 'novnc') });
      assert.equal(r.statusCode, 501);
      assert.equal(r.json().notImplemented.message, 'The requested functionality is not supported.');
    } finally {
      vnc = () => ENDPOINT;
    }
  });

  it('serves the legacy console actions until 2.5', async () => {
    const s = await addServer(t);
    const r = await action(s.uuid, { 'os-getVNCConsole': { type: 'novnc' } });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().console.type, 'novnc');
    assert.match(r.json().console.url, TOKEN_IN_PATH);
    const serial = await action(s.uuid, { 'os-getSerialConsole': { type: 'serial' } });
    assert.match(serial.json().console.url, /^ws:\/\/127\.0\.0\.1:6083\/\?token=/);
    const spice = await action(s.uuid, { 'os-getSPICEConsole': { type: 'spice-html5' } });
    assert.equal(spice.statusCode, 400);
    assert.equal(spice.json().badRequest.message, 'Unavailable console type spice-html5.');
    const rdp = await action(s.uuid, { 'os-getRDPConsole': { type: 'rdp-html5' } });
    assert.equal(rdp.statusCode, 400);
    assert.equal(
      rdp.json().badRequest.message,
      'The server could not comply with the request since it is either malformed or otherwise incorrect.',
    );
    assert.equal((await action(s.uuid, { 'os-getVNCConsole': { type: 'spice' } })).statusCode, 400);
    assert.equal((await action(s.uuid, { 'os-getVNCConsole': { type: 'novnc' } }, '2.6')).statusCode, 404);
    assert.equal(
      (await action(s.uuid, { 'os-getVNCConsole': { type: 'novnc' } }, '2.1', BOB)).statusCode,
      404,
    );
  });
});
