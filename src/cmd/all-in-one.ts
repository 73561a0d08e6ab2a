// nova-ts all-in-one [--state-path DIR]: every role in one process, everything under DIR.
import { resolve } from 'node:path';
import { startAllInOne } from '../all-in-one/cloud.ts';
import { prepareStateDir } from '../all-in-one/state-dir.ts';
import { createLogger } from '../common/log.ts';
import { reloadConfig } from '../config/index.ts';
import { createLauncher } from '../service/launcher.ts';
import { parseArgs, str } from './args.ts';
import { loadCommandConfig } from './conf.ts';
import { applyMutable, daemonCommandSpec } from './daemon.ts';

const SPEC = daemonCommandSpec(
  'nova-ts all-in-one',
  'Every nova-ts role in one process: SQLite databases and in-process messaging under the state path, ports on 127.0.0.1.',
  [
    {
      name: '--state-path',
      metavar: 'DIR',
      help: 'Keep every database, key, image and log under DIR ([DEFAULT] state_path, env NOVA_TS_STATE_PATH).',
    },
    {
      name: '--compute-driver',
      metavar: 'DRIVER',
      help: 'The virt driver of the compute role ([DEFAULT] compute_driver): fake or qemu.',
    },
    {
      name: '--fake-hosts',
      metavar: 'N',
      help: 'Run N fake compute hosts (<host>-1 … <host>-N, fake driver) instead of one compute, for scale.',
    },
    {
      name: '--remove-data-plane-on-exit',
      boolean: true,
      help: 'When the cloud stops, remove the bridges, namespaces, DHCP servers and filters its data plane made (throwaway clouds; by default they stay so running guests keep their network).',
    },
  ],
);

export async function run(argv: readonly string[]): Promise<number> {
  const first = loadCommandConfig(argv, { prog: 'nova-ts' });
  const args = parseArgs(SPEC, first.rest);
  if (args === null) return 0;
  const statePath = resolve(str(args.state_path) ?? first.conf.DEFAULT.state_path);
  const { confPath, created } = prepareStateDir(statePath);
  const overrides = [{ group: 'DEFAULT', name: 'state_path', value: statePath }];
  const driver = str(args.compute_driver);
  if (driver) overrides.push({ group: 'DEFAULT', name: 'compute_driver', value: driver });
  const fakeRaw = str(args.fake_hosts);
  const fakeHosts = fakeRaw === undefined ? 0 : Number(fakeRaw);
  if (!Number.isInteger(fakeHosts) || fakeHosts < 0) {
    process.stderr.write(`nova-ts all-in-one: --fake-hosts must be a whole number ≥ 0, not ${fakeRaw}\n`);
    return 2;
  }
  if (fakeHosts > 0) overrides.push({ group: 'DEFAULT', name: 'compute_driver', value: 'fake.FakeDriver' });
  const cfg = loadCommandConfig(argv, { prog: 'nova-ts', baseFiles: [confPath], overrides });
  let loaded = cfg.loaded;
  const conf = loaded.conf;
  const log = createLogger({
    name: 'nova-ts',
    file: resolve(conf.DEFAULT.log_dir ?? `${statePath}/log`, 'nova-ts.log'),
    stderr: true,
    pretty: true,
    stderrLevel: args.debug || conf.DEFAULT.debug ? 'debug' : 'warn',
    level: args.debug || conf.DEFAULT.debug ? 'debug' : 'info',
  });
  for (const w of loaded.warnings) log.warn(w);
  if (created) log.info({ confPath }, 'wrote the all-in-one configuration');

  const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as { version: string };
  const cloud = await startAllInOne({
    conf,
    log,
    statePath,
    version: pkg.version,
    configFiles: loaded.files,
    fakeHosts,
  });
  const launcher = createLauncher({
    log,
    // Before the process exits (the launcher exits once everything stopped).
    onStopped: async () => {
      if (!args.remove_data_plane_on_exit || !cloud.dataplane) return;
      await cloud.dataplane.teardown();
      log.info('removed the data plane (--remove-data-plane-on-exit)');
    },
    onReload: () => {
      const next = reloadConfig(loaded, cfg.loadOptions);
      applyMutable(next, log);
      loaded = next;
    },
  });
  launcher.add(cloud);
  const out = process.stdout;
  out.write(`state path: ${statePath} (configuration ${confPath}, log ${statePath}/log/nova-ts.log)\n`);
  for (const r of cloud.roles) out.write(`  ${r.role.padEnd(26)}${r.endpoint}\n`);
  const boot = cloud.firstStart;
  if (boot.credentials) {
    const c = boot.credentials;
    out.write(
      [
        'admin credentials (shown once; also in clouds.yaml and openrc under the state path):',
        `  OS_AUTH_URL=${c.authUrl} OS_USERNAME=${c.username} OS_PASSWORD=${c.password} OS_PROJECT_NAME=${c.projectName}`,
        `  export OS_CLIENT_CONFIG_FILE=${c.cloudsYaml} OS_CLOUD=nova-ts   # or: source ${c.openrc}`,
        '',
      ].join('\n'),
    );
  }
  if (boot.image) {
    const what =
      boot.image.kind === 'tiny'
        ? 'the tiny guest (boots under QEMU)'
        : `a placeholder (${boot.image.reason})`;
    out.write(`default image ${boot.image.name}: ${what}\n`);
  }
  if (boot.flavorsCreated.length > 0)
    out.write(`default flavors created: ${boot.flavorsCreated.join(', ')}\n`);
  out.write('nova-ts ready\n');
  await launcher.done;
  return 0;
}
