// The embedded identity service's public surface, for the all-in-one and the daemons:
//   const idp = await startEmbeddedIdentity(conf, { log });      // [identity] listen:port, /v3
//   await bootstrapFromConf(idp.identity, conf, password);       // keystone-manage bootstrap
//   writeClientConfig(stateDir, { authUrl: idp.url + '/v3', … }); // clouds.yaml + openrc
//   registerAuthHook(app, { validator: idp.validator, … })       // every other API
// For an external Keystone: keystoneValidator(conf.keystone_authtoken, { log }).
import type { TokenValidator } from '../auth/types.ts';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import { enforcerFromConf } from '../policy/from-conf.ts';
import { type BootstrapResult, bootstrap, defaultCatalog } from './bootstrap.ts';
import { type RunningApi, startIdentityApi } from './http/app.ts';
import { IDENTITY_POLICY_DEFAULTS } from './policies/index.ts';
import { embeddedValidator, type IdentityService, openIdentityService } from './service.ts';

export { type BootstrapOptions, type BootstrapResult, bootstrap, defaultCatalog } from './bootstrap.ts';
export { type ClientConfig, cloudsYaml, openrc, writeClientConfig } from './client-config.ts';
export { createIdentityApp, type IdentityAppDeps, type RunningApi, startIdentityApi } from './http/app.ts';
export { type KeystoneAuthtokenOptions, keystoneValidator } from './keystone-validator.ts';
export { IDENTITY_POLICY_DEFAULTS } from './policies/index.ts';
export {
  createIdentityService,
  embeddedValidator,
  type IdentityService,
  keyRepositoryPath,
  openIdentityService,
} from './service.ts';
export { rotateKeys, setupKeys } from './tokens/key-repository.ts';

/** The identity base URL clients use: [identity] public_endpoint, else http://<listen>:<port> (0.0.0.0 → 127.0.0.1). */
export function identityBaseUrl(conf: NovaConf): string {
  const pe = conf.identity.public_endpoint?.replace(/\/+$/, '').replace(/\/v3$/, '');
  if (pe) return pe;
  const l = conf.identity.listen;
  const host = l === '0.0.0.0' || l === '::' ? '127.0.0.1' : l.includes(':') ? `[${l}]` : l;
  return `http://${host}:${conf.identity.port}`;
}

export interface EmbeddedIdentity {
  readonly identity: IdentityService;
  /** In-process TokenValidator for the other APIs' auth hooks. */
  readonly validator: TokenValidator;
  /** Base URL (no /v3). */
  readonly url: string;
  readonly api: RunningApi;
  stop(): Promise<void>;
}

export interface StartEmbeddedOptions {
  readonly log: Logger;
  readonly clock?: Clock;
  /** The configuration files read: the policy file (identity:* overrides) is looked up beside them. */
  readonly configFiles?: readonly string[];
}

/** Opens [identity] connection (migrated) and the key repository, and serves the API on [identity] listen:port. */
export async function startEmbeddedIdentity(
  conf: NovaConf,
  o: StartEmbeddedOptions,
): Promise<EmbeddedIdentity> {
  const identity = await openIdentityService(conf, { log: o.log, clock: o.clock });
  const enforcer = enforcerFromConf(conf, IDENTITY_POLICY_DEFAULTS, o.configFiles ?? [], o.log);
  const url = identityBaseUrl(conf);
  let api: RunningApi;
  try {
    api = await startIdentityApi({
      identity,
      enforcer,
      log: o.log,
      listen: conf.identity.listen,
      port: conf.identity.port,
      publicEndpoint: url,
    });
  } catch (err) {
    await identity.close();
    throw err;
  }
  return {
    identity,
    validator: embeddedValidator(identity),
    url,
    api,
    async stop() {
      await api.stop();
      await identity.close();
    },
  };
}

/**
 * keystone-manage bootstrap from nova.conf: [identity] bootstrap_username / bootstrap_project_name /
 * region_name, identity endpoints at identityBaseUrl/v3, compute/placement/image on the same host
 * (overridable). Idempotent.
 */
export async function bootstrapFromConf(
  identity: IdentityService,
  conf: NovaConf,
  password: string,
  endpoints: Readonly<Partial<Record<'compute' | 'placement' | 'image', string>>> = {},
): Promise<BootstrapResult> {
  const v3 = `${identityBaseUrl(conf)}/v3`;
  const res = await bootstrap(
    identity.core.db,
    {
      password,
      username: conf.identity.bootstrap_username,
      projectName: conf.identity.bootstrap_project_name,
      regionId: conf.identity.region_name,
      catalog: defaultCatalog({ public: v3, internal: v3, admin: v3 }, endpoints),
    },
    identity.core.now(),
  );
  identity.core.changed();
  return res;
}
