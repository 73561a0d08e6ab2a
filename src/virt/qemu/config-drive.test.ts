import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  buildConfigDrive,
  type ConfigDriveData,
  ConfigDriveError,
  findIsoTool,
  metaData,
} from './config-drive.ts';
import { tempDir } from './storage-test-support.ts';

const run = promisify(execFile);
const tool = await findIsoTool().catch(() => null);
const xorriso = await run('xorriso', ['-version']).then(
  () => true,
  () => false,
);
const skip = !tool
  ? 'neither genisoimage nor xorriso is installed'
  : !xorriso
    ? 'xorriso (to read ISOs back) is missing'
    : false;
if (skip) console.log(`# skipping config drive tests: ${skip}`);

const data: ConfigDriveData = {
  uuid: '2f6c0a3e-0c4b-4a55-9d1e-3a6c0c5b9f01',
  name: 'My VM 1',
  hostname: 'vm1',
  availability_zone: 'nova',
  project_id: 'p1',
  public_keys: { mykey: 'ssh-ed25519 AAAA test@host' },
  metadata: { role: 'web' },
  user_data: Buffer.from('#!/bin/sh\necho hi\n').toString('base64'),
  admin_pass: 's3cret',
  files: [{ path: '/etc/motd', contents: Buffer.from('hello motd').toString('base64') }],
};

/** Extracts the ISO with xorriso (files come out read-only); returns the directory. */
async function extract(t: { after(fn: () => Promise<void>): void }, iso: string): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), 'nova-ts-iso-'));
  t.after(async () => {
    await run('chmod', ['-R', 'u+w', out]);
    await rm(out, { recursive: true, force: true });
  });
  await run('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', join(out, 'x')]);
  return join(out, 'x');
}

const readJson = async (p: string) => JSON.parse(await readFile(p, 'utf8'));

describe('config drive', { skip }, () => {
  it('builds an ISO labelled config-2 with the OpenStack tree', async (t) => {
    const dir = await tempDir(t);
    const iso = join(dir, 'inst', 'disk.config');
    await buildConfigDrive(iso, data);
    assert.ok((await stat(iso)).size > 0);
    assert.deepEqual(await readdir(join(dir, 'inst')), ['disk.config']); // no staging left
    const { stdout } = await run('isoinfo', ['-d', '-i', iso]).catch(() =>
      run('blkid', ['-o', 'export', iso]),
    );
    assert.match(stdout, /Volume id: config-2|LABEL=config-2/);

    const x = await extract(t, iso);
    assert.deepEqual((await readdir(join(x, 'openstack'))).sort(), [
      '2012-08-10',
      '2013-04-04',
      '2013-10-17',
      '2015-10-15',
      '2016-06-30',
      '2016-10-06',
      '2017-02-22',
      '2018-08-27',
      '2020-10-14',
      'content',
      'latest',
    ]);
    const latest = join(x, 'openstack', 'latest');
    assert.deepEqual((await readdir(latest)).sort(), [
      'meta_data.json',
      'network_data.json',
      'user_data',
      'vendor_data.json',
      'vendor_data2.json',
    ]);
    const md = await readJson(join(latest, 'meta_data.json'));
    assert.equal(md.uuid, data.uuid);
    assert.equal(md.name, 'My VM 1');
    assert.equal(md.hostname, 'vm1');
    assert.equal(md.launch_index, 0);
    assert.equal(md.availability_zone, 'nova');
    assert.equal(md.project_id, 'p1');
    assert.deepEqual(md.meta, { role: 'web' });
    assert.deepEqual(md.public_keys, { mykey: 'ssh-ed25519 AAAA test@host' });
    assert.deepEqual(md.keys, [{ name: 'mykey', type: 'ssh', data: 'ssh-ed25519 AAAA test@host' }]);
    assert.deepEqual(md.files, [{ path: '/etc/motd', content_path: '/content/0000' }]);
    assert.equal(md.admin_pass, 's3cret');
    assert.deepEqual(md.devices, []);
    assert.equal(Buffer.from(md.random_seed, 'base64').length, 512);
    assert.equal(await readFile(join(latest, 'user_data'), 'utf8'), '#!/bin/sh\necho hi\n');
    assert.deepEqual(await readJson(join(latest, 'network_data.json')), {
      links: [],
      networks: [],
      services: [],
    });
    assert.deepEqual(await readJson(join(latest, 'vendor_data2.json')), {});
    assert.equal(await readFile(join(x, 'openstack', 'content', '0000'), 'utf8'), 'hello motd');
    // older versions carry only what existed then
    assert.deepEqual((await readdir(join(x, 'openstack', '2012-08-10'))).sort(), [
      'meta_data.json',
      'user_data',
    ]);
    const folsom = await readJson(join(x, 'openstack', '2012-08-10', 'meta_data.json'));
    assert.equal(folsom.project_id, undefined);
    assert.equal(folsom.random_seed, undefined);
    const ec2 = await readJson(join(x, 'ec2', 'latest', 'meta-data.json'));
    assert.equal(ec2.hostname, 'vm1');
    assert.deepEqual(ec2.placement, { 'availability-zone': 'nova' });
  });

  it('without user data, key, password or files, those entries are absent', async (t) => {
    const dir = await tempDir(t);
    const iso = join(dir, 'disk.config');
    const bare: ConfigDriveData = {
      uuid: 'u2',
      name: 'h',
      hostname: 'h',
      availability_zone: null,
      project_id: 'p',
      launch_index: 2,
      network_data: { links: [{ id: 'tap0' }], networks: [], services: [] },
    };
    await buildConfigDrive(iso, bare, { mkisofsCmd: 'xorriso' });
    const x = await extract(t, iso);
    const latest = join(x, 'openstack', 'latest');
    assert.ok(!(await readdir(latest)).includes('user_data'));
    const md = await readJson(join(latest, 'meta_data.json'));
    for (const k of ['meta', 'files', 'admin_pass', 'public_keys', 'keys']) assert.equal(md[k], undefined, k);
    assert.equal(md.launch_index, 2);
    assert.deepEqual((await readJson(join(latest, 'network_data.json'))).links, [{ id: 'tap0' }]);
    assert.ok(!(await readdir(join(x, 'openstack'))).includes('content'));
  });

  it('lists every public key in keys, with its type', () => {
    const md = metaData({ ...data, public_keys: { '0': 'ssh-rsa AAA' }, key_type: 'x509' }, 'latest');
    assert.deepEqual(md.public_keys, { '0': 'ssh-rsa AAA' });
    assert.deepEqual(md.keys, [{ name: '0', type: 'x509', data: 'ssh-rsa AAA' }]);
  });

  it('a missing ISO tool is a clear error naming the Debian packages; nothing is left', async (t) => {
    const dir = await tempDir(t);
    await assert.rejects(
      buildConfigDrive(join(dir, 'disk.config'), data, { searchPath: [join(dir, 'empty')] }),
      (err: Error) => {
        assert.ok(err instanceof ConfigDriveError);
        assert.match(
          err.message,
          /neither genisoimage nor xorriso is installed .*Debian packages genisoimage or xorriso/,
        );
        return true;
      },
    );
    assert.deepEqual(await readdir(dir), []);
  });
});
