// Daemons as an operator meets them: a bad nova.conf, an unreachable broker or database is one
// clear line and a non-zero exit (no stack trace); SIGHUP reloads mutable options; SIGTERM exits 0.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startDaemon } from './daemon-process.ts';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'novats-daemon-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function conf(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr
    .trim()
    .split('\n')
    .filter((l) => !/"level":40|WARNING/.test(l));
  assert.equal(lines.length, 1, `one line expected, got:\n${stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
}

describe('start-up errors', () => {
  test('an invalid option value names file, group, option and why', async () => {
    const f = conf('badport.conf', '[DEFAULT]\nosapi_compute_listen_port = eighty\n');
    const r = await runCli('nova-api', ['--config-file', f]);
    assert.equal(r.code, 1);
    assertOneLine(
      r.stderr,
      /osapi_compute_listen_port.*DEFAULT.*badport\.conf|badport\.conf.*DEFAULT.*osapi_compute_listen_port/,
    );
  });

  test('a config file that does not exist', async () => {
    const r = await runCli('nova-conductor', ['--config-file', join(dir, 'nope.conf')]);
    assert.notEqual(r.code, 0);
    assertOneLine(r.stderr, /nope\.conf/);
  });

  test('an unreachable broker', async () => {
    const db = `sqlite:///${join(dir, 'cell.db')}`;
    const f = conf(
      'nobroker.conf',
      `[DEFAULT]\ntransport_url = rabbit://guest:guest@127.0.0.1:1/\n[database]\nconnection = ${db}\n`,
    );
    const r = await runCli('nova-compute', ['--config-file', f]);
    assert.equal(r.code, 1);
    assertOneLine(r.stderr, /Cannot reach the message broker at rabbit:\/\/guest:\*\*\*@127\.0\.0\.1:1\//);
  });

  test('an unreachable database', async () => {
    const f = conf(
      'nodb.conf',
      '[DEFAULT]\ntransport_url = memory://\n[database]\nconnection = postgresql://nova:pw@127.0.0.1:1/nova\n',
    );
    const r = await runCli('nova-conductor', ['--config-file', f]);
    assert.equal(r.code, 1);
    assertOneLine(r.stderr, /Cannot connect to database postgresql:\/\/nova:\*\*\*@127\.0\.0\.1:1\/nova/);
  });

  test('no transport_url', async () => {
    const r = await runCli('nova-compute', ['--config-file', conf('empty.conf', '')]);
    assert.equal(r.code, 1);
    assertOneLine(r.stderr, /transport_url is not set/);
  });
});

describe('signals', () => {
  test('SIGHUP reloads mutable options; SIGTERM drains and exits 0', async () => {
    const base = `[api]\nauth_strategy = noauth2\n[api_database]\nconnection = sqlite:///${join(dir, 'api.db')}\n`;
    const listen =
      '[DEFAULT]\nosapi_compute_listen = 127.0.0.1\nosapi_compute_listen_port = 0\nmetadata_listen = 127.0.0.1\nmetadata_listen_port = 0\n';
    const path = conf('api.conf', `${base}${listen}debug = False\n`);
    const api = startDaemon('nova-api', ['--config-file', path]);
    try {
      await api.waitFor(/Compute API listening/);
      writeFileSync(path, `${base}${listen}debug = True\n`);
      api.child.kill('SIGHUP');
      await api.waitFor(/reloaded \[DEFAULT\] debug/);
    } finally {
      assert.equal(await api.stop('SIGTERM'), 0, api.output());
    }
  });
});
