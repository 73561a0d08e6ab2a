// The all-in-one's state directory: every database, key, image and log lives under it, and its own
// nova.conf (written on first start, read at every start) says so — which also lets nova-manage
// --config-file DIR/nova.conf (or NOVA_TS_STATE_PATH=DIR) reach the same databases.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function novaConfTemplate(statePath: string): string {
  return `# nova-ts all-in-one configuration, written on first start and read at every start.
# Edit freely: upstream option names apply. Restart, or send SIGHUP for mutable options.

[DEFAULT]
state_path = ${statePath}
log_dir = $state_path/log
transport_url = memory://
osapi_compute_listen = 127.0.0.1
metadata_listen = 127.0.0.1

[api_database]
connection = sqlite:///$state_path/nova_api.sqlite

[database]
connection = sqlite:///$state_path/nova.sqlite

[placement_database]
connection = sqlite:///$state_path/placement.sqlite

[identity]
enabled = true
listen = 127.0.0.1

[image]
enabled = true
listen = 127.0.0.1

[placement_api]
enabled = true
listen = 127.0.0.1

[keystone_authtoken]
www_authenticate_uri = http://127.0.0.1:5000

[vnc]
server_listen = 127.0.0.1
novncproxy_host = 127.0.0.1

[serial_console]
enabled = true
serialproxy_host = 127.0.0.1

[neutron]
# The data plane's metadata proxies sign the instance id with this secret.
service_metadata_proxy = true
metadata_proxy_shared_secret = ${randomBytes(24).toString('hex')}

[oslo_concurrency]
lock_path = $state_path/lock
`;
}

/** Creates DIR (and DIR/log); writes DIR/nova.conf when absent. Returns its path. */
export function prepareStateDir(statePath: string): { readonly confPath: string; readonly created: boolean } {
  mkdirSync(join(statePath, 'log'), { recursive: true });
  const confPath = join(statePath, 'nova.conf');
  if (existsSync(confPath)) return { confPath, created: false };
  writeFileSync(confPath, novaConfTemplate(statePath), { mode: 0o600 });
  return { confPath, created: true };
}
