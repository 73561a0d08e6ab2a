import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../common/clock.ts';
import { type ConfigOverride, loadConfig } from '../config/index.ts';
import { type FakeKeystone, startFakeKeystone } from './fake-keystone.ts';
import {
  AUTH_PLUGINS,
  fromConfGroup,
  passwordAuthBody,
  passwordTokenSource,
  ServiceAuthError,
  staticTokenSource,
} from './token-source.ts';

const CATALOG = [
  {
    type: 'placement',
    endpoints: [
      { interface: 'public', region: 'RegionOne', url: 'http://pub/placement' },
      { interface: 'internal', region: 'RegionOne', url: 'http://int/placement' },
      { interface: 'internal', region: 'RegionTwo', url: 'http://int2/placement' },
    ],
  },
];

const conf = (overrides: ConfigOverride[]) =>
  loadConfig({ env: {}, hostFacts: { hostname: 'node1', myIp: '127.0.0.1' }, overrides }).conf;

describe('passwordTokenSource against a fake Keystone', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  let ks: FakeKeystone;
  before(async () => {
    ks = await startFakeKeystone({ now: () => clock.now().getTime(), lifetimeMs: 600_000, catalog: CATALOG });
  });
  after(() => ks.close());

  const opts = () => ({
    auth_url: `${ks.url}/v3/`,
    username: 'nova',
    password: 'secret',
    project_name: 'service',
    user_domain_name: 'Default',
    project_domain_name: 'Default',
  });

  it('authenticates once, caches until a minute before expiry, and renews', async () => {
    const src = passwordTokenSource(opts(), { clock, group: 'placement' });
    const start = ks.issued;
    const [a, b] = await Promise.all([src.token(), src.token()]);
    assert.equal(a, b);
    assert.equal(ks.issued, start + 1, 'concurrent callers share one request');
    assert.equal(await src.token(), a);
    clock.advance(530_000); // 70 s left: still cached
    assert.equal(await src.token(), a);
    assert.equal(ks.issued, start + 1);
    clock.advance(20_000); // 50 s left: renewed
    const c = await src.token();
    assert.notEqual(c, a);
    assert.equal(ks.issued, start + 2);
    const body = ks.bodies.at(-1) as { auth: { identity: unknown; scope: unknown } };
    assert.deepEqual(body.auth.scope, { project: { name: 'service', domain: { name: 'Default' } } });
  });

  it('invalidate() forces a new token; the catalog resolves endpoints by interface and region', async () => {
    const src = passwordTokenSource(opts(), { clock });
    const first = await src.token();
    src.invalidate();
    assert.notEqual(await src.token(), first);
    assert.equal(await src.endpoint('placement', ['internal', 'public']), 'http://int/placement');
    assert.equal(await src.endpoint('placement', ['public']), 'http://pub/placement');
    assert.equal(await src.endpoint('placement', ['internal'], 'RegionTwo'), 'http://int2/placement');
    assert.equal(await src.endpoint('image', ['internal']), undefined);
  });

  it('refused credentials and an unreachable Keystone are errors naming the group and URL', async () => {
    const bad = passwordTokenSource({ ...opts(), password: 'wrong' }, { group: 'placement' });
    await assert.rejects(bad.token(), (err: unknown) => {
      assert.ok(err instanceof ServiceAuthError);
      assert.equal(err.status, 401);
      assert.match(err.message, /\[placement\]/);
      assert.ok(err.message.includes(`${ks.url}/v3/auth/tokens`));
      return true;
    });
    const down = passwordTokenSource({ ...opts(), auth_url: 'http://127.0.0.1:9/v3' }, { group: 'glance' });
    await assert.rejects(down.token(), (err: unknown) => {
      assert.ok(err instanceof ServiceAuthError);
      assert.equal(err.status, undefined);
      assert.match(
        err.message,
        /\[glance\] cannot reach the identity service at http:\/\/127\.0\.0\.1:9\/v3/,
      );
      return true;
    });
    // A failure is not cached: fixed credentials are not needed, a later call just tries again.
    await assert.rejects(bad.token(), ServiceAuthError);
  });

  it('fromConfGroup: password by auth_type or by auth_url alone, noauth/none as static admin', async () => {
    const pw = fromConfGroup(
      conf([
        { group: 'placement', name: 'auth_url', value: ks.url },
        { group: 'placement', name: 'username', value: 'nova' },
        { group: 'placement', name: 'password', value: 'secret' },
        { group: 'placement', name: 'project_name', value: 'service' },
      ]),
      'placement',
    );
    assert.match(await pw.token(), /^tok-/);
    for (const type of ['noauth', 'none']) {
      const st = fromConfGroup(
        conf([
          { group: 'placement', name: 'auth_type', value: type },
          { group: 'placement', name: 'endpoint_override', value: 'http://p:8778' },
        ]),
        'placement',
      );
      assert.equal(await st.token(), 'admin');
      assert.equal(await st.endpoint('placement', ['internal']), 'http://p:8778');
    }
    assert.throws(() => fromConfGroup(conf([]), 'neutron'), /\[neutron\] has neither auth_type nor auth_url/);
    assert.throws(
      () => fromConfGroup(conf([{ group: 'glance', name: 'auth_type', value: 'v3oidc' }]), 'glance'),
      /\[glance\] auth_type v3oidc is not supported/,
    );
    assert.deepEqual(Object.keys(AUTH_PLUGINS).sort(), ['noauth', 'none', 'password', 'v3password']);
  });
});

describe('static token source and auth bodies', () => {
  it('serves its token and endpoints by service type', async () => {
    const s = staticTokenSource('admin', { placement: 'http://x' });
    assert.equal(await s.token(), 'admin');
    assert.equal(await s.endpoint('placement', []), 'http://x');
    assert.equal(await s.endpoint('image', []), undefined);
    s.invalidate();
    assert.equal(await s.token(), 'admin');
  });

  it('passwordAuthBody: default domain fallbacks, system and domain scope', () => {
    const base = { username: 'u', password: 'p', default_domain_id: 'dd' };
    const pb = passwordAuthBody({ ...base, project_name: 'svc' }) as {
      auth: { identity: { password: { user: unknown } }; scope?: unknown };
    };
    assert.deepEqual(pb.auth.identity.password.user, { name: 'u', password: 'p', domain: { id: 'dd' } });
    assert.deepEqual(pb.auth.scope, { project: { name: 'svc', domain: { id: 'dd' } } });
    const sys = passwordAuthBody({ ...base, system_scope: 'all' }) as { auth: { scope: unknown } };
    assert.deepEqual(sys.auth.scope, { system: { all: true } });
    const dom = passwordAuthBody({ ...base, domain_name: 'D' }) as { auth: { scope: unknown } };
    assert.deepEqual(dom.auth.scope, { domain: { name: 'D' } });
    const unscoped = passwordAuthBody({ user_id: 'uid', password: 'p' }) as { auth: { scope?: unknown } };
    assert.equal(unscoped.auth.scope, undefined);
  });
});
