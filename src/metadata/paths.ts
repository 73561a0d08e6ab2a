// A request path of the metadata service → what it serves, as upstream's lookup does: paths
// outside /openstack are the EC2 tree (/latest/meta-data/… is /ec2/latest/meta-data/…), trailing
// slashes and dot segments are normalised, an unknown version or name is not found.
import { posix } from 'node:path';
import {
  type ConfigDriveData,
  GRIZZLY,
  HAVANA,
  isAtLeast,
  LIBERTY,
  metaData,
  NEWTON_TWO,
  OPENSTACK_VERSIONS,
  userDataOf,
  versionListing,
} from './content.ts';
import { EC2_VERSIONS, ec2Print, ec2Tree, findPath } from './ec2.ts';

export const TEXT = 'text/plain';
export const JSON_TYPE = 'application/json';

export type Resolved =
  | { readonly kind: 'data'; readonly body: string | Buffer; readonly type: string }
  | { readonly kind: 'password' }
  | { readonly kind: 'not-found' };

const NOT_FOUND: Resolved = { kind: 'not-found' };
const text = (body: string | Buffer): Resolved => ({ kind: 'data', body, type: TEXT });
const json = (v: unknown): Resolved => ({ kind: 'data', body: JSON.stringify(v), type: JSON_TYPE });

/** The path's segments after normalisation (no empty ones). */
export function pathTokens(path: string): string[] {
  const clean = posix.normalize(`/${path.split('?')[0] ?? ''}`);
  return clean.split('/').filter((t) => t !== '');
}

/** `/` of the service (answered before the caller is identified): the EC2 versions and latest. */
export function isRoot(path: string): boolean {
  return pathTokens(path).length === 0;
}

export const rootListing = () => [...EC2_VERSIONS, 'latest'].join('\n');

/** OpenStack versions dated today or earlier (future ones stay hidden from the listing). */
export function openstackListing(today: Date): string {
  const day = today.toISOString().slice(0, 10);
  return [...OPENSTACK_VERSIONS.filter((v) => v <= day), 'latest'].join('\n');
}

export interface ResolveOptions {
  /** [api] vendordata_providers includes StaticJSON (else vendor_data.json is not found). */
  readonly staticVendorData: boolean;
  readonly today: Date;
}

function openstackItem(d: ConfigDriveData, tokens: string[], o: ResolveOptions): Resolved {
  const [requested, ...rest] = tokens;
  if (requested === 'content') return NOT_FOUND; // injected files exist on config drives only
  const version = requested === 'latest' ? OPENSTACK_VERSIONS[OPENSTACK_VERSIONS.length - 1] : requested;
  if (!version || !OPENSTACK_VERSIONS.includes(version)) return NOT_FOUND;
  if (rest.length === 0) return text(versionListing(d, version).join('\n'));
  switch (rest.join('/')) {
    case 'meta_data.json':
      return json(metaData(d, version));
    case 'user_data': {
      const ud = userDataOf(d);
      return ud ? text(ud) : NOT_FOUND;
    }
    case 'password':
      return isAtLeast(version, GRIZZLY) ? { kind: 'password' } : NOT_FOUND;
    case 'vendor_data.json':
      return isAtLeast(version, HAVANA) && o.staticVendorData ? json(d.vendor_data ?? {}) : NOT_FOUND;
    case 'vendor_data2.json':
      return isAtLeast(version, NEWTON_TWO) ? json(d.vendor_data2 ?? {}) : NOT_FOUND;
    case 'network_data.json':
      // upstream serves it as text/plain
      return isAtLeast(version, LIBERTY) ? text(JSON.stringify(d.network_data ?? {})) : NOT_FOUND;
    default:
      return NOT_FOUND;
  }
}

function ec2Item(d: ConfigDriveData, tokens: string[]): Resolved {
  const [version, ...rest] = tokens;
  if (!d.ec2 || !version) return NOT_FOUND;
  const tree = ec2Tree(d, d.ec2, version);
  if (!tree) return NOT_FOUND;
  const node = findPath(tree, rest);
  return node === undefined ? NOT_FOUND : text(ec2Print(node));
}

/** What `path` serves for the instance `d`. */
export function resolvePath(d: ConfigDriveData, path: string, o: ResolveOptions): Resolved {
  let tokens = pathTokens(path);
  if (tokens[0] !== 'ec2' && tokens[0] !== 'openstack') tokens = ['ec2', ...tokens];
  if (tokens.length === 1) return text(tokens[0] === 'openstack' ? openstackListing(o.today) : rootListing());
  return tokens[0] === 'openstack' ? openstackItem(d, tokens.slice(1), o) : ec2Item(d, tokens.slice(1));
}
