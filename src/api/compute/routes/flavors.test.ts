import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureDefaultFlavors } from '../../../compute-api/flavors.ts';
import { ALICE, startTestApi, type TestApi } from '../test-support.ts';

describe('flavors', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
    await ensureDefaultFlavors(t.apiDb, t.clock.now());
  });
  after(() => t.close());

  it('creates the default flavors once', async () => {
    assert.deepEqual(await ensureDefaultFlavors(t.apiDb, t.clock.now()), []);
    const r = await t.call('GET', '/v2.1/flavors', { token: ALICE });
    assert.deepEqual(
      r.json().flavors.map((f: { id: string }) => f.id),
      ['1', '2', '3', '4', '42', '5'],
    );
  });

  it('shows a flavor at 2.1 with the legacy fields and links', async () => {
    const r = await t.call('GET', '/v2.1/flavors/1', { token: ALICE, headers: { host: 'api:8774' } });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), {
      flavor: {
        id: '1',
        name: 'm1.tiny',
        ram: 512,
        disk: 1,
        swap: '',
        'OS-FLV-EXT-DATA:ephemeral': 0,
        'OS-FLV-DISABLED:disabled': false,
        vcpus: 1,
        'os-flavor-access:is_public': true,
        rxtx_factor: 1,
        links: [
          { rel: 'self', href: 'http://api:8774/v2.1/flavors/1' },
          { rel: 'bookmark', href: 'http://api:8774/flavors/1' },
        ],
      },
    });
  });

  it('changes the view at 2.55, 2.61, 2.75 and 2.102', async () => {
    const at = async (mv: string) =>
      (await t.call('GET', '/v2.1/flavors/2', { token: ALICE, mv })).json().flavor;
    assert.equal((await at('2.55')).description, null);
    assert.equal('extra_specs' in (await at('2.60')), false);
    assert.deepEqual((await at('2.61')).extra_specs, {});
    assert.equal((await at('2.74')).swap, '');
    assert.equal((await at('2.75')).swap, 0);
    const v102 = await at('2.102');
    assert.equal('rxtx_factor' in v102, false);
    assert.equal('OS-FLV-DISABLED:disabled' in v102, false);
  });

  it('creates, describes and deletes a flavor as admin', async () => {
    const body = {
      flavor: { name: 'test.one', ram: 256, vcpus: 1, disk: 2, id: 'abc', description: 'first' },
    };
    const c = await t.call('POST', '/v2.1/flavors', { mv: '2.55', body });
    assert.equal(c.statusCode, 200);
    assert.equal(c.json().flavor.description, 'first');
    const dup = await t.call('POST', '/v2.1/flavors', { mv: '2.55', body });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().conflictingRequest.message, 'Flavor with ID abc already exists.');
    const u = await t.call('PUT', '/v2.1/flavors/abc', {
      mv: '2.55',
      body: { flavor: { description: 'second' } },
    });
    assert.equal(u.json().flavor.description, 'second');
    const d = await t.call('DELETE', '/v2.1/flavors/abc');
    assert.equal(d.statusCode, 202);
    const gone = await t.call('GET', '/v2.1/flavors/abc');
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().itemNotFound.message, 'Flavor abc could not be found.');
  });

  it('generates an id when none is given', async () => {
    const c = await t.call('POST', '/v2.1/flavors', {
      body: { flavor: { name: 'auto', ram: 64, vcpus: 1, disk: 0 } },
    });
    assert.match(c.json().flavor.id, /^[0-9a-f-]{36}$/);
    // A random id would sort anywhere among the paging test's ids: remove it again.
    assert.equal((await t.call('DELETE', `/v2.1/flavors/${c.json().flavor.id}`)).statusCode, 202);
  });

  it('refuses bad bodies with upstream messages', async () => {
    const cases: [unknown, string][] = [
      [
        { flavor: { name: 'x'.repeat(256), ram: 1, vcpus: 1, disk: 1 } },
        `Invalid input for field/attribute name. Value: ${'x'.repeat(256)}. '${'x'.repeat(256)}' is too long`,
      ],
      [
        { flavor: { name: 'x', ram: 1, vcpus: 1, disk: 1, foo: 1 } },
        "Invalid input for field/attribute flavor. Value: {'name': 'x', 'ram': 1, 'vcpus': 1, 'disk': 1, 'foo': 1}. Additional properties are not allowed ('foo' was unexpected)",
      ],
      [
        { flavor: { name: 'x', ram: 0, vcpus: 1, disk: 1 } },
        'Invalid input for field/attribute ram. Value: 0. 0 is less than the minimum of 1',
      ],
      [
        { flavor: { name: 'x', vcpus: 1, disk: 1 } },
        "Invalid input for field/attribute flavor. Value: {'name': 'x', 'vcpus': 1, 'disk': 1}. 'ram' is a required property",
      ],
      [{}, "'flavor' is a required property"],
      [
        { flavor: { name: ' x', ram: 1, vcpus: 1, disk: 1 } },
        "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.",
      ],
      [
        { flavor: { name: 'x', ram: '12a', vcpus: 1, disk: 1 } },
        "Invalid input for field/attribute ram. Value: 12a. '12a' does not match '^[0-9]+$'",
      ],
    ];
    for (const [body, message] of cases) {
      const r = await t.call('POST', '/v2.1/flavors', { body });
      assert.equal(r.statusCode, 400, JSON.stringify(body));
      assert.equal(r.json().badRequest.message, message);
    }
    const desc = await t.call('POST', '/v2.1/flavors', {
      mv: '2.54',
      body: { flavor: { name: 'y', ram: 1, vcpus: 1, disk: 1, description: 'no' } },
    });
    assert.equal(desc.statusCode, 400);
  });

  it('refuses non-admins with the policy message', async () => {
    const r = await t.call('POST', '/v2.1/flavors', {
      token: ALICE,
      body: { flavor: { name: 'z', ram: 1, vcpus: 1, disk: 1 } },
    });
    assert.equal(r.statusCode, 403);
    assert.equal(
      r.json().forbidden.message,
      "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.",
    );
    const del = await t.call('DELETE', '/v2.1/flavors/1', { token: ALICE });
    assert.equal(del.statusCode, 403);
  });

  it('filters, sorts and pages', async () => {
    const ids = async (q: string, mv?: string) =>
      (await t.call('GET', `/v2.1/flavors/detail${q}`, { token: ALICE, mv }))
        .json()
        .flavors.map((f: { id: string }) => f.id);
    assert.deepEqual(await ids('?minRam=4096'), ['3', '4', '5']);
    assert.deepEqual(await ids('?minDisk=80&sort_key=memory_mb&sort_dir=desc'), ['5', '4']);
    assert.deepEqual(await ids('?name=m1.small', '2.102'), ['2']);
    const page = await t.call('GET', '/v2.1/flavors?limit=2&marker=1', {
      token: ALICE,
      headers: { host: 'h' },
    });
    assert.deepEqual(
      page.json().flavors.map((f: { id: string }) => f.id),
      ['2', '3'],
    );
    assert.deepEqual(page.json().flavors_links, [
      { rel: 'next', href: 'http://h/v2.1/flavors?limit=2&marker=3' },
    ]);
    const bad = await t.call('GET', '/v2.1/flavors?marker=nope', { token: ALICE });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().badRequest.message, 'marker [nope] not found');
    const badLimit = await t.call('GET', '/v2.1/flavors?limit=-1', { token: ALICE });
    assert.equal(badLimit.statusCode, 400);
    assert.match(
      badLimit.json().badRequest.message,
      /^Invalid input for query parameters limit\. Value: -1\./,
    );
    const unknown = await t.call('GET', '/v2.1/flavors?foo=1', { token: ALICE, mv: '2.74' });
    assert.equal(unknown.statusCode, 200);
    const unknown75 = await t.call('GET', '/v2.1/flavors?foo=1', { token: ALICE, mv: '2.75' });
    assert.equal(unknown75.statusCode, 400);
    assert.equal(
      unknown75.json().badRequest.message,
      "Additional properties are not allowed ('foo' was unexpected)",
    );
  });

  it('hides private flavors from other projects and manages access', async () => {
    const body = {
      flavor: {
        name: 'private.one',
        ram: 64,
        vcpus: 1,
        disk: 0,
        id: 'p1',
        'os-flavor-access:is_public': false,
      },
    };
    assert.equal((await t.call('POST', '/v2.1/flavors', { body })).statusCode, 200);
    const list = async () =>
      (await t.call('GET', '/v2.1/flavors', { token: ALICE }))
        .json()
        .flavors.map((f: { id: string }) => f.id);
    assert.equal((await list()).includes('p1'), false);
    const add = await t.call('POST', '/v2.1/flavors/p1/action', {
      body: { addTenantAccess: { tenant: '0a1b2c3d' } },
    });
    assert.deepEqual(add.json(), { flavor_access: [{ flavor_id: 'p1', tenant_id: '0a1b2c3d' }] });
    assert.equal((await list()).includes('p1'), true);
    const again = await t.call('POST', '/v2.1/flavors/p1/action', {
      body: { addTenantAccess: { tenant: '0a1b2c3d' } },
    });
    assert.equal(again.statusCode, 409);
    const access = await t.call('GET', '/v2.1/flavors/p1/os-flavor-access');
    assert.equal(access.json().flavor_access.length, 1);
    const pub = await t.call('GET', '/v2.1/flavors/1/os-flavor-access');
    assert.equal(pub.json().itemNotFound.message, 'Access list not available for public flavors.');
    const rm = await t.call('POST', '/v2.1/flavors/p1/action', {
      body: { removeTenantAccess: { tenant: '0a1b2c3d' } },
    });
    assert.deepEqual(rm.json(), { flavor_access: [] });
    const unknownAction = await t.call('POST', '/v2.1/flavors/p1/action', { body: { fly: {} } });
    assert.equal(unknownAction.json().badRequest.message, 'There is no such action: fly');
    const publicAdd = await t.call('POST', '/v2.1/flavors/1/action', {
      mv: '2.7',
      body: { addTenantAccess: { tenant: 'x' } },
    });
    assert.equal(publicAdd.statusCode, 409);
    const noPolicy = await t.call('POST', '/v2.1/flavors/p1/action', {
      token: ALICE,
      body: { addTenantAccess: { tenant: 'x' } },
    });
    assert.equal(noPolicy.statusCode, 403);
  });
});

describe('flavor extra specs', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
    await ensureDefaultFlavors(t.apiDb, t.clock.now());
  });
  after(() => t.close());

  it('sets, shows, updates and deletes', async () => {
    const c = await t.call('POST', '/v2.1/flavors/1/os-extra_specs', {
      body: { extra_specs: { 'hw:cpu_policy': 'dedicated', n: 2 } },
    });
    assert.equal(c.statusCode, 200);
    assert.deepEqual(c.json(), { extra_specs: { 'hw:cpu_policy': 'dedicated', n: 2 } });
    const idx = await t.call('GET', '/v2.1/flavors/1/os-extra_specs', { token: ALICE });
    assert.deepEqual(idx.json(), { extra_specs: { 'hw:cpu_policy': 'dedicated', n: '2' } });
    const show = await t.call('GET', '/v2.1/flavors/1/os-extra_specs/n', { token: ALICE });
    assert.deepEqual(show.json(), { n: '2' });
    const put = await t.call('PUT', '/v2.1/flavors/1/os-extra_specs/n', { body: { n: '3' } });
    assert.deepEqual(put.json(), { n: '3' });
    const mismatch = await t.call('PUT', '/v2.1/flavors/1/os-extra_specs/n', { body: { m: '3' } });
    assert.equal(mismatch.json().badRequest.message, 'Request body and URI mismatch');
    const del = await t.call('DELETE', '/v2.1/flavors/1/os-extra_specs/n');
    assert.equal(del.statusCode, 200);
    const missing = await t.call('GET', '/v2.1/flavors/1/os-extra_specs/n');
    assert.equal(missing.json().itemNotFound.message, 'Flavor 1 has no extra specs with key n.');
    const detail = await t.call('GET', '/v2.1/flavors/1', { mv: '2.61', token: ALICE });
    assert.deepEqual(detail.json().flavor.extra_specs, { 'hw:cpu_policy': 'dedicated' });
  });

  it('validates known extra specs from 2.86', async () => {
    const set = (mv: string, specs: Record<string, string>) =>
      t.call('POST', '/v2.1/flavors/2/os-extra_specs', { mv, body: { extra_specs: specs } });
    assert.equal((await set('2.85', { 'hw:cpu_policy': 'bogus' })).statusCode, 200);
    const bad = await set('2.86', { 'hw:cpu_policy': 'bogus' });
    assert.equal(bad.statusCode, 400);
    assert.equal(
      bad.json().badRequest.message,
      "Validation failed; 'bogus' is not one of: dedicated, shared, mixed.",
    );
    const unknown = await set('2.86', { 'hw:nope': '1' });
    assert.equal(
      unknown.json().badRequest.message,
      "Validation failed; extra spec 'hw:nope' does not appear to be a valid extra spec.",
    );
    assert.equal(
      (await set('2.86', { 'hw:numa_nodes': '2', 'custom:thing': 'x', plain: 'y' })).statusCode,
      200,
    );
    assert.equal(
      (await set('2.86', { 'resources:VCPU': '2', 'trait:HW_CPU_X86_AVX2': 'required' })).statusCode,
      200,
    );
    const notInt = await set('2.86', { 'hw:numa_nodes': 'two' });
    assert.equal(notInt.json().badRequest.message, "Validation failed; 'two' is not a valid integer value.");
    const key = await t.call('POST', '/v2.1/flavors/2/os-extra_specs', {
      body: { extra_specs: { 'bad/key': 'x' } },
    });
    assert.equal(key.statusCode, 400);
    assert.match(key.json().badRequest.message, /'bad\/key' does not match any of the regexes/);
  });

  it('lets readers list but not write', async () => {
    const r = await t.call('POST', '/v2.1/flavors/1/os-extra_specs', {
      token: ALICE,
      body: { extra_specs: { a: 'b' } },
    });
    assert.equal(r.statusCode, 403);
  });
});
