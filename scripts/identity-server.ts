// Starts the embedded identity service alone on 127.0.0.1 for manual and CLI testing:
//   npx node scripts/identity-server.ts [--state-path DIR] [--port 5000] [--password PW]
// It bootstraps (admin user/project, roles, catalog), writes DIR/clouds.yaml and DIR/openrc, prints
// `identity ready <url>` and serves until SIGINT/SIGTERM.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../src/common/log.ts';
import { loadConfig } from '../src/config/index.ts';
import { bootstrap, defaultCatalog } from '../src/identity/bootstrap.ts';
import { writeClientConfig } from '../src/identity/client-config.ts';
import { startIdentityApi } from '../src/identity/http/app.ts';
import { IDENTITY_POLICY_DEFAULTS } from '../src/identity/policies/index.ts';
import { openIdentityService } from '../src/identity/service.ts';
import { createEnforcer } from '../src/policy/engine.ts';

const { values } = parseArgs({
  options: {
    'state-path': { type: 'string' },
    port: { type: 'string', default: '5000' },
    password: { type: 'string', default: 'admin-secret' },
    'token-expiration': { type: 'string', default: '3600' },
  },
});
const dir = values['state-path'] ?? mkdtempSync(join(tmpdir(), 'novats-identity-'));
const port = Number(values.port);
const url = `http://127.0.0.1:${port}/v3`;
const { conf } = loadConfig({
  configFiles: [],
  useDefaultSearch: false,
  overrides: [
    { group: 'DEFAULT', name: 'state_path', value: dir },
    { group: 'identity', name: 'token_expiration', value: values['token-expiration'] ?? '3600' },
  ],
});
const log = createLogger({ name: 'identity', file: join(dir, 'identity.log') });
const identity = await openIdentityService(conf, { log });
const boot = await bootstrap(
  identity.core.db,
  { password: values.password ?? '', catalog: defaultCatalog({ public: url, internal: url, admin: url }) },
  new Date(),
);
const files = writeClientConfig(dir, {
  authUrl: url,
  username: 'admin',
  password: values.password ?? '',
  projectName: 'admin',
});
const enforcer = createEnforcer({
  defaults: IDENTITY_POLICY_DEFAULTS,
  enforceScope: true,
  enforceNewDefaults: true,
  log,
});
const api = await startIdentityApi({
  identity,
  enforcer,
  log,
  listen: '127.0.0.1',
  port,
  publicEndpoint: url,
});
process.stdout.write(
  `bootstrap: ${boot.changes.length} changes; clouds.yaml at ${files.cloudsYaml}\nidentity ready ${url}\n`,
);
const stop = async () => {
  await api.stop();
  await identity.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
