// nova-ts identity bootstrap | rotate-keys: what `keystone-manage bootstrap` and
// `keystone-manage fernet_rotate` do for the embedded identity service.
import { connectDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { IdentityDb } from '../db/tables/identity-db.ts';
import { bootstrap, defaultCatalog } from '../identity/bootstrap.ts';
import { identityBaseUrl } from '../identity/index.ts';
import { keyRepositoryPath } from '../identity/service.ts';
import { rotateKeys, setupKeys } from '../identity/tokens/key-repository.ts';
import { parseArgs, str, UsageError } from './args.ts';
import { loadCommandConfig } from './conf.ts';

const VERBS = ['bootstrap', 'rotate-keys'];

const BOOTSTRAP_SPEC = {
  usage: 'nova-ts identity bootstrap',
  description:
    'Create the Default domain, the admin user and project, the roles admin/manager/member/reader/service, ' +
    'the region and catalog endpoints for identity, compute, placement and image (as keystone-manage bootstrap). ' +
    'Running it again changes nothing.',
  flags: [
    {
      name: '--bootstrap-password',
      metavar: 'PASSWORD',
      help: 'Admin password ([identity] bootstrap_password; env OS_BOOTSTRAP_PASSWORD).',
    },
    { name: '--bootstrap-username', metavar: 'NAME', help: 'Admin user name (default: admin).' },
    { name: '--bootstrap-project-name', metavar: 'NAME', help: 'Admin project name (default: admin).' },
    {
      name: '--bootstrap-role-name',
      metavar: 'NAME',
      help: 'Role granted to the admin user (default: admin).',
    },
    {
      name: '--bootstrap-region-id',
      metavar: 'REGION',
      help: 'Region of the endpoints (default: [identity] region_name).',
    },
    {
      name: '--bootstrap-public-url',
      metavar: 'URL',
      help: 'Public identity URL (default: [identity] public_endpoint or http://127.0.0.1:5000/v3).',
    },
    {
      name: '--bootstrap-internal-url',
      metavar: 'URL',
      help: 'Internal identity URL (default: the public one).',
    },
    { name: '--bootstrap-admin-url', metavar: 'URL', help: 'Admin identity URL (default: the public one).' },
  ],
} as const;

async function runBootstrap(argv: readonly string[]): Promise<number> {
  const cfg = loadCommandConfig(argv, { prog: 'nova-ts' });
  const args = parseArgs(BOOTSTRAP_SPEC, cfg.rest);
  if (args === null) return 0;
  const conf = cfg.conf;
  const password =
    str(args.bootstrap_password) ?? process.env.OS_BOOTSTRAP_PASSWORD ?? conf.identity.bootstrap_password;
  if (!password)
    throw new UsageError(
      'nova-ts identity bootstrap: error: --bootstrap-password is required (or OS_BOOTSTRAP_PASSWORD, or [identity] bootstrap_password)',
    );
  const pub = str(args.bootstrap_public_url) ?? `${identityBaseUrl(conf)}/v3`;
  const urls = {
    public: pub,
    internal: str(args.bootstrap_internal_url) ?? pub,
    admin: str(args.bootstrap_admin_url) ?? pub,
  };
  const db = await connectDatabase<IdentityDb>(conf.identity.connection, { option: '[identity] connection' });
  try {
    await migrateToLatest(db, 'identity');
    if (setupKeys(keyRepositoryPath(conf)))
      process.stdout.write(`Created Fernet keys in ${keyRepositoryPath(conf)}\n`);
    const res = await bootstrap(
      db,
      {
        password,
        username: str(args.bootstrap_username) ?? conf.identity.bootstrap_username,
        projectName: str(args.bootstrap_project_name) ?? conf.identity.bootstrap_project_name,
        roleName: str(args.bootstrap_role_name),
        regionId: str(args.bootstrap_region_id) ?? conf.identity.region_name,
        catalog: defaultCatalog(urls),
      },
      new Date(),
    );
    for (const line of res.changes) process.stdout.write(`${line}\n`);
    if (res.changes.length === 0) process.stdout.write('Nothing to do: everything already exists.\n');
    return 0;
  } finally {
    await db.close();
  }
}

function runRotate(argv: readonly string[]): number {
  const cfg = loadCommandConfig(argv, { prog: 'nova-ts' });
  const args = parseArgs(
    {
      usage: 'nova-ts identity rotate-keys',
      description:
        'Rotate the Fernet keys in $state_path/fernet-keys: the staged key becomes primary, a new key is staged, the oldest beyond --max-active-keys are removed.',
      flags: [
        {
          name: '--max-active-keys',
          metavar: 'N',
          help: 'Keys to keep, staged and primary included (default 3).',
        },
      ],
    },
    cfg.rest,
  );
  if (args === null) return 0;
  const max = Number(str(args.max_active_keys) ?? 3);
  if (!Number.isInteger(max) || max < 2)
    throw new UsageError(
      'nova-ts identity rotate-keys: error: --max-active-keys must be an integer of at least 2',
    );
  const dir = keyRepositoryPath(cfg.conf);
  const primary = rotateKeys(dir, max);
  process.stdout.write(`Rotated the Fernet keys in ${dir}: key ${primary} is the new primary.\n`);
  return 0;
}

export async function run(argv: readonly string[]): Promise<number> {
  const verb = argv.find((a) => !a.startsWith('-') && VERBS.includes(a));
  const rest = verb ? argv.filter((_a, i) => i !== argv.indexOf(verb)) : argv;
  if (!verb) {
    if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
      process.stdout.write('usage: nova-ts identity {bootstrap,rotate-keys} [--config-file F] [options]\n');
      return argv.length === 0 ? 2 : 0;
    }
    throw new UsageError(
      `nova-ts identity: error: choose a verb from ${VERBS.map((v) => `'${v}'`).join(', ')}`,
    );
  }
  return verb === 'bootstrap' ? runBootstrap(rest) : runRotate(rest);
}
