// Server lifecycle through the real clients against a started all-in-one (fake driver): create
// --wait, list, show, every power action, events, console log and URL, `nova boot` as seed 002
// writes it, delete --wait. Skips (one line) without the Debian clients.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type CliCloud, haveClients, startCliCloud } from './cloud.ts';

const skip = haveClients()
  ? false
  : 'needs python3-openstackclient and python3-novaclient (apt-get install them)';

const status = (c: CliCloud, name: string) =>
  c.os('server', 'show', name, '-f', 'value', '-c', 'status').trim();

async function until(c: CliCloud, name: string, want: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (status(c, name) === want) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(status(c, name), want);
}

describe('openstack server … / nova boot against the all-in-one', { skip }, () => {
  let c: CliCloud;
  before(async () => {
    c = await startCliCloud({ fakeHosts: 2 });
  });
  after(() => c?.stop());

  test('server create --wait, list, show, actions, events, console, delete --wait', async () => {
    const created = c.osJson<Record<string, string>>(
      'server',
      'create',
      '--flavor',
      'm1.tiny',
      '--image',
      'nova-ts-tiny',
      '--wait',
      'cli-vm',
    );
    assert.equal(created.status, 'ACTIVE');
    assert.match(created['OS-EXT-SRV-ATTR:host'], /^cli-host-[12]$/);
    assert.match(c.os('server', 'list', '-f', 'value', '-c', 'Name', '-c', 'Status'), /^cli-vm ACTIVE$/m);
    const shown = c.osJson<Record<string, string>>('server', 'show', 'cli-vm');
    assert.equal(shown.flavor.includes('m1.tiny'), true);
    assert.equal(String(shown['OS-EXT-STS:power_state']), '1');

    for (const [args, want] of [
      [['stop'], 'SHUTOFF'],
      [['start'], 'ACTIVE'],
      [['reboot'], 'ACTIVE'],
      [['reboot', '--hard'], 'ACTIVE'],
      [['pause'], 'PAUSED'],
      [['unpause'], 'ACTIVE'],
      [['suspend'], 'SUSPENDED'],
      [['resume'], 'ACTIVE'],
      [['rescue'], 'RESCUE'],
      [['unrescue'], 'ACTIVE'],
      [['lock'], 'ACTIVE'],
      [['unlock'], 'ACTIVE'],
    ] as const) {
      c.os('server', ...args, 'cli-vm');
      await until(c, 'cli-vm', want);
    }
    const events = c.os('server', 'event', 'list', 'cli-vm', '-f', 'value', '-c', 'Action');
    for (const a of [
      'create',
      'stop',
      'start',
      'reboot',
      'pause',
      'unpause',
      'suspend',
      'resume',
      'rescue',
      'lock',
    ])
      assert.match(events, new RegExp(`^${a}$`, 'm'));
    assert.match(c.os('console', 'log', 'show', 'cli-vm'), /instance-[0-9a-f]{8}/);
    const url = c.os('console', 'url', 'show', '--novnc', 'cli-vm', '-f', 'value', '-c', 'url');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/vnc_auto\.html\?path=%3Ftoken%3D[0-9a-f-]+/);

    c.os('server', 'delete', '--wait', 'cli-vm');
    assert.doesNotMatch(c.os('server', 'list', '-f', 'value', '-c', 'Name'), /^cli-vm$/m);
  });

  test('server resize + resize confirm, server migrate, server migration list', async () => {
    c.os('server', 'create', '--flavor', 'm1.tiny', '--image', 'nova-ts-tiny', '--wait', 'mover');
    const host = () => c.os('server', 'show', 'mover', '-f', 'value', '-c', 'OS-EXT-SRV-ATTR:host').trim();
    c.os('server', 'resize', '--flavor', 'm1.small', '--wait', 'mover');
    assert.equal(status(c, 'mover'), 'VERIFY_RESIZE');
    c.os('server', 'resize', 'confirm', 'mover');
    await until(c, 'mover', 'ACTIVE');
    assert.match(c.os('server', 'show', 'mover', '-f', 'value', '-c', 'flavor'), /m1\.small/);
    const mid = host();
    c.os('server', 'migrate', '--wait', 'mover');
    await until(c, 'mover', 'VERIFY_RESIZE');
    c.os('server', 'resize', 'confirm', 'mover');
    await until(c, 'mover', 'ACTIVE');
    assert.notEqual(host(), mid);
    const migrations = c.osJson<Record<string, string>[]>(
      '--os-compute-api-version',
      '2.59',
      'server',
      'migration',
      'list',
      '--server',
      'mover',
    );
    assert.equal(migrations.length, 2, JSON.stringify(migrations));
    for (const m of migrations) assert.equal(m.Status, 'confirmed');
    assert.deepEqual(
      migrations.map((m) => m.Type).sort(),
      ['migration', 'resize'],
      JSON.stringify(migrations),
    );
    c.os('server', 'delete', '--wait', 'mover');
  });

  test('nova boot --image <uuid> --flavor 1 my_vm (seed 002), nova list, nova delete', async () => {
    const image = c.os('image', 'show', 'nova-ts-tiny', '-f', 'value', '-c', 'id').trim();
    const out = c.nova('boot', '--image', image, '--flavor', '1', 'my_vm');
    assert.match(out, /\| name\s+\| my_vm\s+\|/);
    assert.match(out, /\| adminPass\s+\| \S+/);
    await until(c, 'my_vm', 'ACTIVE');
    assert.match(c.nova('list'), /\| my_vm\s+\| ACTIVE\s+\|/);
    c.nova('delete', 'my_vm');
    for (let i = 0; i < 100 && /my_vm/.test(c.nova('list')); i++)
      await new Promise((r) => setTimeout(r, 200));
    assert.doesNotMatch(c.nova('list'), /my_vm/);
  });
});
