// The files a user points the OpenStack clients at: clouds.yaml (cloud `nova-ts`) and an openrc of
// OS_* exports. Both hold the admin password, so both are written mode 0600.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClientConfig {
  readonly authUrl: string;
  readonly username: string;
  readonly password: string;
  readonly projectName: string;
  readonly userDomainName?: string;
  readonly projectDomainName?: string;
  readonly regionName?: string;
  /** Cloud name in clouds.yaml (default nova-ts). */
  readonly cloud?: string;
}

/** A YAML double-quoted scalar (JSON string syntax is valid YAML). */
const q = (s: string): string => JSON.stringify(s);
/** A POSIX shell single-quoted word. */
const sh = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function cloudsYaml(c: ClientConfig): string {
  return [
    'clouds:',
    `  ${c.cloud ?? 'nova-ts'}:`,
    '    auth:',
    `      auth_url: ${q(c.authUrl)}`,
    `      username: ${q(c.username)}`,
    `      password: ${q(c.password)}`,
    `      project_name: ${q(c.projectName)}`,
    `      user_domain_name: ${q(c.userDomainName ?? 'Default')}`,
    `      project_domain_name: ${q(c.projectDomainName ?? 'Default')}`,
    `    region_name: ${q(c.regionName ?? 'RegionOne')}`,
    '    identity_api_version: 3',
    '    interface: public',
    '',
  ].join('\n');
}

export function openrc(c: ClientConfig): string {
  const vars: [string, string][] = [
    ['OS_AUTH_URL', c.authUrl],
    ['OS_USERNAME', c.username],
    ['OS_PASSWORD', c.password],
    ['OS_PROJECT_NAME', c.projectName],
    ['OS_USER_DOMAIN_NAME', c.userDomainName ?? 'Default'],
    ['OS_PROJECT_DOMAIN_NAME', c.projectDomainName ?? 'Default'],
    ['OS_REGION_NAME', c.regionName ?? 'RegionOne'],
    ['OS_IDENTITY_API_VERSION', '3'],
    ['OS_INTERFACE', 'public'],
  ];
  return `${vars.map(([k, v]) => `export ${k}=${sh(v)}`).join('\n')}\n`;
}

/** Writes DIR/clouds.yaml and DIR/openrc (mode 0600); returns their paths. */
export function writeClientConfig(dir: string, c: ClientConfig): { cloudsYaml: string; openrc: string } {
  mkdirSync(dir, { recursive: true });
  const files = { cloudsYaml: join(dir, 'clouds.yaml'), openrc: join(dir, 'openrc') };
  writeFileSync(files.cloudsYaml, cloudsYaml(c), { mode: 0o600 });
  writeFileSync(files.openrc, openrc(c), { mode: 0o600 });
  chmodSync(files.cloudsYaml, 0o600);
  chmodSync(files.openrc, 0o600);
  return files;
}
