import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../common/clock.ts';
import type { Database } from '../db/connect.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { testDialects } from '../db/test-dialects.ts';
import * as tokens from '../objects/console-auth-token.ts';
import { ConsoleTokenRefused, findConsoleToken, useUp } from './token-check.ts';

const conn = (consoleType: string, uuid = 'inst-1'): tokens.ConsoleConnection => ({
  console_type: consoleType,
  host: '127.0.0.1',
  port: 5901,
  internal_access_path: null,
  instance_uuid: uuid,
  access_url_base: 'http://127.0.0.1:6080/vnc_auto.html',
});

const refusal =
  (reason: string, status = 401) =>
  (err: unknown) =>
    err instanceof ConsoleTokenRefused && err.reason === reason && err.status === status;

for (const d of testDialects()) {
  describe(`${d.name}: console proxy token check`, () => {
    let cell0: Database<CellDb>;
    let cell1: Database<CellDb>;
    const clock = new ManualClock();
    const deps = { cellDbs: async () => [cell0, cell1], clock };
    before(async () => {
      cell0 = await d.open<CellDb>(['cell']);
      cell1 = await d.open<CellDb>(['cell']);
    });
    after(() => d.cleanup());

    it('finds a token in any cell and uses it up once', async () => {
      const { token } = await tokens.authorize(cell1, conn('novnc'), 600, clock.now());
      const found = await findConsoleToken(deps, token, ['novnc']);
      assert.equal(found.db, cell1);
      assert.equal(found.record.port, 5901);
      assert.equal(found.record.instance_uuid, 'inst-1');
      await useUp(found);
      assert.equal(await tokens.findByToken(cell1, token), undefined, 'the row is gone');
      await assert.rejects(findConsoleToken(deps, token, ['novnc']), refusal('unknown'));
    });

    it('refuses a token two connections raced for, for the second', async () => {
      const { token } = await tokens.authorize(cell0, conn('novnc'), 600, clock.now());
      const a = await findConsoleToken(deps, token, ['novnc']);
      const b = await findConsoleToken(deps, token, ['novnc']);
      await useUp(a);
      await assert.rejects(useUp(b), refusal('used'));
    });

    it('refuses an expired token and removes it', async () => {
      const { token } = await tokens.authorize(cell1, conn('novnc'), 10, clock.now());
      clock.advance(10_000);
      await assert.rejects(findConsoleToken(deps, token, ['novnc']), refusal('expired'));
      assert.equal(await tokens.findByToken(cell1, token), undefined);
    });

    it("refuses another proxy's token with 403 and keeps it for that proxy", async () => {
      const { token } = await tokens.authorize(cell1, conn('serial'), 600, clock.now());
      await assert.rejects(findConsoleToken(deps, token, ['novnc']), refusal('wrong_type', 403));
      const found = await findConsoleToken(deps, token, ['serial']);
      await useUp(found);
    });

    it('refuses unknown and missing tokens', async () => {
      await assert.rejects(findConsoleToken(deps, 'no-such-token', ['novnc']), refusal('unknown'));
      await assert.rejects(findConsoleToken(deps, undefined, ['novnc']), refusal('missing'));
      await assert.rejects(findConsoleToken(deps, '', ['novnc']), refusal('missing'));
    });
  });
}
