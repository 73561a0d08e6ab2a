// What `keystone-manage bootstrap` does, plus the nova-ts catalog: the Default domain, an admin
// project and user, roles admin ⇒ manager ⇒ member ⇒ reader and service, admin on the admin project
// and on the system, a region, and catalog entries (public/internal/admin) for identity, compute,
// placement and image. Idempotent: what exists is left alone (an endpoint URL that differs is
// updated, a bootstrap password that no longer verifies is reset, as keystone-manage does).
import type { DbHandle } from '../db/connect.ts';
import type { IdentityDb } from '../db/tables/identity-db.ts';
import { hashSecret, verifySecret } from './passwords.ts';
import * as assignments from './store/assignments.ts';
import * as catalog from './store/catalog.ts';
import * as domains from './store/domains.ts';
import * as projects from './store/projects.ts';
import * as roles from './store/roles.ts';
import * as users from './store/users.ts';

export const DEFAULT_DOMAIN_ID = 'default';
/** Roles bootstrap makes, and the implication chain between them. */
export const BOOTSTRAP_ROLES = ['admin', 'manager', 'member', 'reader', 'service'] as const;
const IMPLIED: readonly (readonly [string, string])[] = [
  ['admin', 'manager'],
  ['manager', 'member'],
  ['member', 'reader'],
];

export interface CatalogSeed {
  readonly type: string;
  readonly name: string;
  readonly urls: Readonly<Partial<Record<catalog.Interface, string>>>;
}

export interface BootstrapOptions {
  readonly password: string;
  readonly username?: string;
  readonly projectName?: string;
  readonly roleName?: string;
  readonly regionId?: string;
  /** Catalog services to register (see defaultCatalog). */
  readonly catalog?: readonly CatalogSeed[];
}

export interface BootstrapResult {
  readonly user_id: string;
  readonly project_id: string;
  readonly domain_id: string;
  readonly role_ids: Readonly<Record<string, string>>;
  /** One line per change made (empty when everything already existed). */
  readonly changes: readonly string[];
}

/**
 * The nova-ts catalog for a host: identity at identityUrl (…:5000/v3), compute …:8774/v2.1,
 * placement …:8778, image …:9292, each on every interface unless `overrides` says otherwise.
 */
export function defaultCatalog(
  identity: Readonly<Partial<Record<catalog.Interface, string>>>,
  overrides: Readonly<Partial<Record<'compute' | 'placement' | 'image', string>>> = {},
): readonly CatalogSeed[] {
  const base = identity.public ?? identity.internal ?? identity.admin ?? 'http://127.0.0.1:5000/v3';
  const host = new URL(base);
  const at = (port: number, path = '') => `${host.protocol}//${host.hostname}:${port}${path}`;
  const all = (url: string) => ({ public: url, internal: url, admin: url });
  return [
    { type: 'identity', name: 'keystone', urls: identity },
    { type: 'compute', name: 'nova', urls: all(overrides.compute ?? at(8774, '/v2.1')) },
    { type: 'placement', name: 'placement', urls: all(overrides.placement ?? at(8778)) },
    { type: 'image', name: 'glance', urls: all(overrides.image ?? at(9292)) },
  ];
}

type Db = DbHandle<IdentityDb>;

async function ensureRoles(db: Db, changes: string[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const name of BOOTSTRAP_ROLES) {
    let r = await roles.findByName(db, name);
    if (!r) {
      r = await roles.create(db, { name });
      changes.push(`Created role ${name}`);
    }
    ids[name] = r.id;
  }
  const rules = await roles.impliedRules(db);
  for (const [prior, implied] of IMPLIED) {
    const exists = rules.some((x) => x.prior_role_id === ids[prior] && x.implied_role_id === ids[implied]);
    if (!exists) {
      await roles.addImplied(db, ids[prior], ids[implied]);
      changes.push(`Created implied role ${prior} ⇒ ${implied}`);
    }
  }
  return ids;
}

async function ensureUser(db: Db, o: BootstrapOptions, now: Date, changes: string[]): Promise<users.User> {
  const name = o.username ?? 'admin';
  const u = await users.findByName(db, name, DEFAULT_DOMAIN_ID);
  if (!u) {
    changes.push(`Created user ${name}`);
    return users.create(
      db,
      { name, domain_id: DEFAULT_DOMAIN_ID, password_hash: await hashSecret(o.password) },
      now,
    );
  }
  if (u.enabled && (await verifySecret(o.password, u.password_hash))) return u;
  changes.push(`Reset the password of user ${name} and enabled it`);
  return users.update(db, u.id, { enabled: true, password_hash: await hashSecret(o.password) }, now);
}

async function ensureGrant(
  db: Db,
  a: Omit<assignments.Assignment, 'inherited'>,
  what: string,
  changes: string[],
) {
  if (await assignments.check(db, a)) return;
  await assignments.grant(db, a);
  changes.push(`Granted ${what}`);
}

export async function ensureCatalog(
  db: Db,
  regionId: string,
  seeds: readonly CatalogSeed[],
  changes: string[],
) {
  if (!(await catalog.findRegion(db, regionId))) {
    await catalog.createRegion(db, { id: regionId, description: '', parent_region_id: null });
    changes.push(`Created region ${regionId}`);
  }
  for (const seed of seeds) {
    let svc = (await catalog.listServices(db, { type: seed.type })).find((s) => s.name === seed.name);
    if (!svc) {
      svc = await catalog.createService(db, { type: seed.type, name: seed.name });
      changes.push(`Created ${seed.type} service ${seed.name}`);
    }
    for (const iface of catalog.INTERFACES) {
      const url = seed.urls[iface];
      if (!url) continue;
      const [e] = await catalog.listEndpoints(db, {
        service_id: svc.id,
        interface: iface,
        region_id: regionId,
      });
      if (!e) {
        await catalog.createEndpoint(db, { service_id: svc.id, interface: iface, region_id: regionId, url });
        changes.push(`Created ${iface} endpoint ${url} for ${seed.type}`);
      } else if (e.url !== url) {
        await catalog.updateEndpoint(db, e.id, { url });
        changes.push(`Updated ${iface} endpoint of ${seed.type} to ${url}`);
      }
    }
  }
}

export async function bootstrap(db: Db, o: BootstrapOptions, now: Date): Promise<BootstrapResult> {
  const changes: string[] = [];
  if (!(await domains.find(db, DEFAULT_DOMAIN_ID))) {
    await domains.create(
      db,
      { id: DEFAULT_DOMAIN_ID, name: 'Default', description: 'The default domain' },
      now,
    );
    changes.push('Created domain default');
  }
  const projectName = o.projectName ?? 'admin';
  let project = await projects.findByName(db, projectName, DEFAULT_DOMAIN_ID);
  if (!project) {
    project = await projects.create(
      db,
      {
        name: projectName,
        domain_id: DEFAULT_DOMAIN_ID,
        description: 'Bootstrap project for initializing the cloud.',
      },
      now,
    );
    changes.push(`Created project ${projectName}`);
  }
  const roleIds = await ensureRoles(db, changes);
  const user = await ensureUser(db, o, now, changes);
  const role = o.roleName ?? 'admin';
  const roleId = roleIds[role] ?? (await roles.create(db, { name: role })).id;
  await ensureGrant(
    db,
    { actor: 'user', actor_id: user.id, target: 'project', target_id: project.id, role_id: roleId },
    `${role} on project ${projectName} to user ${user.name}`,
    changes,
  );
  await ensureGrant(
    db,
    {
      actor: 'user',
      actor_id: user.id,
      target: 'system',
      target_id: assignments.SYSTEM_TARGET,
      role_id: roleId,
    },
    `${role} on the system to user ${user.name}`,
    changes,
  );
  await ensureCatalog(db, o.regionId ?? 'RegionOne', o.catalog ?? [], changes);
  return Object.freeze({
    user_id: user.id,
    project_id: project.id,
    domain_id: DEFAULT_DOMAIN_ID,
    role_ids: Object.freeze(roleIds),
    changes: Object.freeze(changes),
  });
}
