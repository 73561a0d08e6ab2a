import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../db/connect.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { testDialects } from '../db/test-dialects.ts';
import * as tokens from './console-auth-token.ts';

const T0 = new Date('2026-03-04T05:06:07.000Z');
const later = (s: number) => new Date(T0.getTime() + s * 1000);
const conn = (uuid: string, host = 'cmp1'): tokens.ConsoleConnection => ({
  console_type: 'novnc',
  host,
  port: 5900,
  internal_access_path: null,
  instance_uuid: uuid,
  access_url_base: 'http://proxy:6080/vnc_auto.html',
});

describe('console access URLs', () => {
  it('puts the token in the path parameter for noVNC, as upstream', () => {
    assert.equal(
      tokens.accessUrl('novnc', 'http://127.0.0.1:6080/vnc_auto.html', 'abc-1'),
      'http://127.0.0.1:6080/vnc_auto.html?path=%3Ftoken%3Dabc-1',
    );
    assert.equal(
      tokens.accessUrl('novnc', 'http://h/vnc_lite.html?path=websockify&x=1', 't'),
      'http://h/vnc_lite.html?path=websockify%3Ftoken%3Dt&x=1',
    );
  });

  it('appends ?token= for other console types', () => {
    assert.equal(tokens.accessUrl('serial', 'ws://127.0.0.1:6083/', 'tok'), 'ws://127.0.0.1:6083/?token=tok');
  });
});

for (const d of testDialects()) {
  describe(`${d.name}: console auth tokens`, () => {
    let db: Database<CellDb>;
    before(async () => {
      db = await d.open<CellDb>(['cell']);
    });
    after(() => d.cleanup());

    it('stores only the hash and validates the token until it expires', async () => {
      const { token, record } = await tokens.authorize(db, conn('u-1'), 600, T0);
      assert.match(token, /^[0-9a-f-]{36}$/);
      assert.equal(record.token_hash, createHash('sha256').update(token).digest('hex'));
      assert.equal(record.expires, T0.getTime() / 1000 + 600);
      const rows = await db.kysely.selectFrom('console_auth_tokens').selectAll().execute();
      assert.ok(rows.every((r) => r.token_hash !== token));

      const ok = await tokens.validate(db, token, later(599));
      assert.equal(ok?.host, 'cmp1');
      assert.equal(ok?.port, 5900);
      assert.equal(ok?.instance_uuid, 'u-1');
      assert.equal(ok?.access_url_base, 'http://proxy:6080/vnc_auto.html');
      assert.equal(await tokens.validate(db, token, later(600)), undefined);
      assert.equal(await tokens.validate(db, 'not-a-token', T0), undefined);
      assert.equal(await tokens.validate(db, token, T0, 'other-instance'), undefined);
      assert.ok(await tokens.validate(db, token, T0, 'u-1'));
    });

    it('deletes expired tokens (optionally of one host) and all of an instance', async () => {
      const a = await tokens.authorize(db, conn('u-2', 'cmp1'), 10, T0);
      const b = await tokens.authorize(db, conn('u-2', 'cmp2'), 10, T0);
      const c = await tokens.authorize(db, conn('u-3'), 1000, T0);
      assert.ok((await tokens.destroyExpired(db, later(20), 'cmp2')) >= 1);
      assert.ok(await tokens.validate(db, a.token, T0));
      assert.equal(await tokens.validate(db, b.token, T0), undefined);
      await tokens.destroyExpired(db, later(20));
      assert.equal(await tokens.validate(db, a.token, T0), undefined);
      assert.ok(await tokens.validate(db, c.token, T0));
      assert.equal(await tokens.destroyAllForInstance(db, 'u-3'), 1);
      assert.equal(await tokens.validate(db, c.token, T0), undefined);
    });
  });
}
