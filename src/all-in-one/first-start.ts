// What the all-in-one does once, on a fresh state path, that an operator does by hand with the
// install guides: keystone-manage bootstrap (with a generated admin password), clouds.yaml and
// openrc for the clients, the classic flavors, and a default image.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../common/log.ts';
import { ensureDefaultFlavors } from '../compute-api/flavors.ts';
import type { NovaConf } from '../config/index.ts';
import type { Database } from '../db/index.ts';
import { bootstrapFromConf, type EmbeddedIdentity, writeClientConfig } from '../identity/index.ts';
import { ensureDefaultImage } from '../image/tiny/default-image.ts';
import { ImageClient } from '../image-client/client.ts';
import { ensureNetworkEndpoint } from '../network/catalog.ts';
import type { HttpRoles } from './http-roles.ts';

export interface AdminCredentials {
  readonly authUrl: string;
  readonly username: string;
  readonly password: string;
  readonly projectName: string;
  readonly cloudsYaml: string;
  readonly openrc: string;
}

export interface FirstStartResult {
  /** Set when this start bootstrapped identity (printed once). */
  readonly credentials?: AdminCredentials;
  readonly flavorsCreated: readonly string[];
  /** What the default image is, when this start registered it. */
  readonly image?: { readonly name: string; readonly kind: string; readonly reason?: string };
}

/** A project-scoped token for a user (password auth against identityUrl, no catalog). */
export async function issueToken(
  identityUrl: string,
  user: string,
  password: string,
  project: string,
): Promise<string> {
  const res = await fetch(`${identityUrl}/v3/auth/tokens?nocatalog`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: user, domain: { id: 'default' }, password } },
        },
        scope: { project: { name: project, domain: { id: 'default' } } },
      },
    }),
  });
  const token = res.headers.get('x-subject-token');
  if (!res.ok || !token) throw new Error(`could not get an admin token from ${identityUrl}: ${res.status}`);
  return token;
}

async function bootstrapIdentity(
  identity: EmbeddedIdentity,
  conf: NovaConf,
  urls: HttpRoles['urls'],
  statePath: string,
  log: Logger,
): Promise<AdminCredentials> {
  const password = randomBytes(15).toString('base64url');
  const res = await bootstrapFromConf(identity.identity, conf, password, {
    compute: `${urls.compute}/v2.1`,
    placement: urls.placement,
    image: urls.image,
  });
  for (const change of res.changes) log.info(`identity bootstrap: ${change}`);
  const client = {
    authUrl: `${urls.identity}/v3`,
    username: conf.identity.bootstrap_username,
    password,
    projectName: conf.identity.bootstrap_project_name,
    regionName: conf.identity.region_name,
  };
  const files = writeClientConfig(statePath, client);
  return { ...client, cloudsYaml: files.cloudsYaml, openrc: files.openrc };
}

export async function firstStart(o: {
  readonly conf: NovaConf;
  readonly log: Logger;
  readonly statePath: string;
  readonly roles: HttpRoles;
  readonly apiDb: Database;
  readonly version: string;
}): Promise<FirstStartResult> {
  const { conf, log, statePath, roles } = o;
  const fresh = !existsSync(join(statePath, 'clouds.yaml'));
  const credentials = fresh
    ? await bootstrapIdentity(roles.identity, conf, roles.urls, statePath, log)
    : undefined;
  await ensureNetworkEndpoint(roles.identity.identity, conf, roles.urls.network, log);
  const flavorsCreated = await ensureDefaultFlavors(o.apiDb, new Date());
  if (!credentials) return { flavorsCreated };
  const token = await issueToken(
    roles.urls.identity,
    credentials.username,
    credentials.password,
    credentials.projectName,
  );
  const client = new ImageClient({ endpoints: [roles.urls.image], token });
  const img = await ensureDefaultImage({
    client,
    outputDir: join(statePath, 'tiny-image'),
    version: o.version,
    log,
  });
  return {
    credentials,
    flavorsCreated,
    image: { name: img.image.name ?? 'nova-ts-tiny', kind: img.kind, reason: img.reason },
  };
}
