// A started all-in-one for CLI scenarios: free loopback ports, throwaway state path, and helpers
// that run the real `openstack` / `nova` / `nova-manage` binaries against it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DaemonProcess, startDaemon } from '../functional/daemon-process.ts';
import { allInOnePortsConf } from '../functional/free-ports.ts';
import { killGuestsUnder } from '../functional/moves/cloud.ts';
import { runCli } from '../functional/run-cli.ts';

export const haveClients = (): boolean =>
  spawnSync('openstack', ['--version']).status === 0 && spawnSync('nova', ['--version']).status === 0;

export interface CliCloud {
  readonly state: string;
  /** `openstack <args>`; throws with stderr when it fails. */
  os(...args: string[]): string;
  /** `openstack <args> -f json`, parsed. */
  osJson<T = unknown>(...args: string[]): T;
  /** `openstack <args>` with its own OS_* variables instead of the admin cloud. */
  osWithEnv(env: NodeJS.ProcessEnv, ...args: string[]): string;
  /** `openstack <args>` expected to fail: returns stderr. */
  osFails(...args: string[]): string;
  nova(...args: string[]): string;
  manage(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** An all-in-one on free ports; `fakeHosts` runs that many fake compute hosts (moves need two). */
export async function startCliCloud(
  o: { readonly fakeHosts?: number /** Extra nova.conf lines. */; readonly conf?: string } = {},
): Promise<CliCloud> {
  const dir = mkdtempSync(join(tmpdir(), 'novats-cli-'));
  const state = join(dir, 'state');
  const ports = join(dir, 'ports.conf');
  writeFileSync(ports, `${await allInOnePortsConf('cli-host')}\n${o.conf ?? ''}\n`);
  const aio: DaemonProcess = startDaemon('nova-ts', [
    'all-in-one',
    '--state-path',
    state,
    '--config-file',
    ports,
    ...(o.fakeHosts ? ['--fake-hosts', String(o.fakeHosts)] : []),
  ]);
  await aio.waitFor(/^nova-ts ready$/m, 120_000);
  const env = { ...process.env, OS_CLIENT_CONFIG_FILE: join(state, 'clouds.yaml'), OS_CLOUD: 'nova-ts' };
  const run = (bin: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    spawnSync(bin, args, { env: { ...env, ...extraEnv }, encoding: 'utf8' });
  const ok = (bin: string, args: string[], extraEnv?: NodeJS.ProcessEnv) => {
    const r = run(bin, args, extraEnv);
    if (r.status !== 0)
      throw new Error(`${bin} ${args.join(' ')} failed (${r.status}):\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  // The nova CLI reads OS_* variables, not clouds.yaml: the ones openrc exports.
  const openrc = Object.fromEntries(
    [
      ...(await import('node:fs'))
        .readFileSync(join(state, 'openrc'), 'utf8')
        .matchAll(/^export (\w+)='([^']*)'$/gm),
    ].map((m) => [m[1], m[2]]),
  );
  return {
    state,
    os: (...args) => ok('openstack', args),
    osWithEnv: (extra, ...args) =>
      ok('openstack', args, { OS_CLOUD: '', OS_CLIENT_CONFIG_FILE: '', ...extra }),
    osJson: (...args) => JSON.parse(ok('openstack', [...args, '-f', 'json'])),
    osFails(...args) {
      const r = run('openstack', args);
      if (r.status === 0)
        throw new Error(`openstack ${args.join(' ')} succeeded but should fail:\n${r.stdout}`);
      return r.stderr;
    },
    nova: (...args) => ok('nova', args, { OS_CLOUD: '', OS_CLIENT_CONFIG_FILE: '', ...openrc }),
    async manage(...args) {
      const r = await runCli('nova-manage', args, { env: { NOVA_TS_STATE_PATH: state } });
      if (r.code !== 0)
        throw new Error(`nova-manage ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    async stop() {
      await aio.stop('SIGTERM');
      killGuestsUnder(dir); // QEMU guests outlive the all-in-one by design
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
