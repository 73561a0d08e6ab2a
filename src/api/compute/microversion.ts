// Compute API microversions: the list of versions (one note each, as upstream's
// rest_api_version_history), negotiation from the request headers, and the response headers.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Fault } from '../../faults/fault.ts';

/** Every microversion 2.1 … 2.104, in order. Add at the end; never edit an entry. */
export const VERSIONS: readonly (readonly [string, string])[] = Object.freeze([
  ['2.1', 'Initial version, equivalent to v2.0 plus microversions'],
  ['2.2', 'Keypair type (ssh/x509); keypair create/delete answer 201/204'],
  ['2.3', 'More OS-EXT-SRV-ATTR server attributes; delete_on_termination in volumes'],
  ['2.4', 'reserved field in os-fixed-ips'],
  ['2.5', 'ip6 server filter for non-admins'],
  ['2.6', 'Consolidated remote-consoles API'],
  ['2.7', 'Flavor access checks the flavor is private'],
  ['2.8', 'mks console protocol'],
  ['2.9', 'locked in server details'],
  ['2.10', 'Admins manage key pairs of any user (user_id)'],
  ['2.11', 'forced_down in os-services'],
  ['2.12', 'VIF net_id in os-virtual-interfaces'],
  ['2.13', 'project_id and user_id in os-server-groups'],
  ['2.14', 'Evacuate drops onSharedStorage and adminPass'],
  ['2.15', 'soft-affinity and soft-anti-affinity server group policies'],
  ['2.16', 'host_status in server details'],
  ['2.17', 'trigger_crash_dump server action'],
  ['2.18', 'project_id optional in URLs'],
  ['2.19', 'Server description'],
  ['2.20', 'Volume attach/detach for shelved servers'],
  ['2.21', 'Instance actions of deleted servers'],
  ['2.22', 'Force live migration to complete'],
  ['2.23', 'Server migrations index/show; migration_type'],
  ['2.24', 'Cancel a running live migration'],
  ['2.25', 'block_migration auto; no disk_over_commit'],
  ['2.26', 'Server tags'],
  ['2.27', 'OpenStack-API-Version header'],
  ['2.28', 'cpu_info as an object'],
  ['2.29', 'force flag for evacuate'],
  ['2.30', 'force flag for live-migrate'],
  ['2.31', 'Console auth tokens for every console type'],
  ['2.32', 'Device tags at boot'],
  ['2.33', 'Hypervisors pagination'],
  ['2.34', 'Asynchronous live-migration pre-checks'],
  ['2.35', 'Keypairs pagination'],
  ['2.36', 'Proxy APIs (images, networks, volumes…) and fping deprecated'],
  ['2.37', 'Auto-allocated networking; networks uuid format'],
  ['2.38', '400 for an invalid status filter on servers'],
  ['2.39', 'Image-metadata proxy deprecated; no maxImageMeta'],
  ['2.40', 'Simple tenant usage pagination'],
  ['2.41', 'uuid in aggregates'],
  ['2.42', 'Device tags at boot, again'],
  ['2.43', 'os-hosts deprecated'],
  ['2.44', 'Fixed/floating IP server actions and os-virtual-interfaces deprecated'],
  ['2.45', 'createImage/createBackup return image_id in the body'],
  ['2.46', 'X-OpenStack-Request-ID header'],
  ['2.47', 'Embedded flavor in server details'],
  ['2.48', 'Standard VM diagnostics'],
  ['2.49', 'Tagged attach of interfaces and volumes'],
  ['2.50', 'server_groups/server_group_members in quota class sets; network quotas filtered'],
  ['2.51', 'volume-extended event; event details for non-admins'],
  ['2.52', 'Tags at server create'],
  ['2.53', 'Services and hypervisors by uuid'],
  ['2.54', 'Reset key pair on rebuild'],
  ['2.55', 'Flavor description'],
  ['2.56', 'Target host for cold migration'],
  ['2.57', 'Personality files and their quotas removed; user_data on rebuild'],
  ['2.58', 'Instance actions pagination and changes-since'],
  ['2.59', 'Migrations pagination and changes-since; uuid'],
  ['2.60', 'Multiattach volumes'],
  ['2.61', 'extra_specs in flavor views'],
  ['2.62', 'host and hostId in instance action events'],
  ['2.63', 'Trusted image certificates'],
  ['2.64', 'Server group policy + rules (max_server_per_host)'],
  ['2.65', 'Abort queued/preparing live migrations'],
  ['2.66', 'changes-before filter'],
  ['2.67', 'volume_type in block_device_mapping_v2'],
  ['2.68', 'No forced live migration / evacuate'],
  ['2.69', 'Minimal constructs during infrastructure failures'],
  ['2.70', 'Device tags in volume attachments and interfaces'],
  ['2.71', 'server_groups in server show/update/rebuild'],
  ['2.72', 'Neutron ports with resource requests'],
  ['2.73', 'Lock reason'],
  ['2.74', 'host/hypervisor_hostname at server create'],
  ['2.75', 'API cleanup: 400 for unknown query parameters, swap 0, …'],
  ['2.76', 'power-update external event'],
  ['2.77', 'availability_zone on unshelve'],
  ['2.78', 'Server topology'],
  ['2.79', 'delete_on_termination at volume attach'],
  ['2.80', 'user_id/project_id in migrations'],
  ['2.81', 'Image cache precaching by aggregate'],
  ['2.82', 'accelerator-request-bound external event'],
  ['2.83', 'More server filters for non-admins'],
  ['2.84', 'details in instance action events'],
  ['2.85', 'Update delete_on_termination of a volume attachment'],
  ['2.86', 'Validation of known flavor extra specs'],
  ['2.87', 'Rescue of boot-from-volume servers'],
  ['2.88', 'Hypervisor statistics fields and APIs removed'],
  ['2.89', 'attachment_id and bdm_uuid in volume attachments'],
  ['2.90', 'Requested server hostname'],
  ['2.91', 'Unshelve to a host; pin/unpin AZ'],
  ['2.92', 'No keypair generation; keypair names may contain @ and .'],
  ['2.93', 'Rebuild of volume-backed servers'],
  ['2.94', 'FQDN server hostnames'],
  ['2.95', 'Evacuate stops the server at the destination'],
  ['2.96', 'pinned_availability_zone in server views'],
  ['2.97', 'Server shares'],
  ['2.98', 'Embedded image properties in server views'],
  ['2.99', 'spice-direct console type'],
  ['2.100', 'scheduler_hints in server views'],
  ['2.101', 'Volume attach answers 202'],
  ['2.102', 'Flavor name filter; rxtx_factor and OS-FLV-DISABLED removed; strict query strings'],
  ['2.103', 'os-volumes_boot removed'],
  ['2.104', 'Update pinned_availability_zone'],
]);

/** A requested microversion (major.minor), compared numerically. */
export interface ApiVersion {
  readonly major: number;
  readonly minor: number;
  readonly text: string;
  /** This version ≥ v. */
  atLeast(v: string): boolean;
  /** min ≤ this ≤ max (either bound may be omitted). */
  between(min?: string, max?: string): boolean;
}

const VERSION_RE = /^([1-9]\d*)\.([1-9]\d*|0)$/;

function key(major: number, minor: number): number {
  return major * 100_000 + minor;
}

/** 400: API Version String x is of invalid format. */
export class InvalidApiVersionString extends Fault {
  constructor(version: string) {
    super(
      `API Version String ${version} is of invalid format. Must be of format MajorNum.MinorNum.`,
      400,
      'compute.invalid_api_version',
    );
  }
}

/** 406: the version is outside 2.1 … 2.104. */
export class UnsupportedApiVersion extends Fault {
  constructor(version: string, min: string, max: string) {
    super(
      `Version ${version} is not supported by the API. Minimum is ${min} and maximum is ${max}.`,
      406,
      'compute.unsupported_api_version',
    );
  }
}

export function parseVersion(text: string): ApiVersion {
  const m = VERSION_RE.exec(text);
  if (!m) throw new InvalidApiVersionString(text);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const self = key(major, minor);
  const cmp = (v: string) => {
    const p = parseKnown(v);
    return self - key(p.major, p.minor);
  };
  return Object.freeze({
    major,
    minor,
    text: `${major}.${minor}`,
    atLeast: (v: string) => cmp(v) >= 0,
    between: (min?: string, max?: string) => (!min || cmp(min) >= 0) && (!max || cmp(max) <= 0),
  });
}

const known = new Map<string, { major: number; minor: number }>();
function parseKnown(v: string): { major: number; minor: number } {
  let p = known.get(v);
  if (!p) {
    const m = VERSION_RE.exec(v);
    if (!m) throw new Error(`bad version literal in code: ${v}`);
    p = { major: Number(m[1]), minor: Number(m[2]) };
    known.set(v, p);
  }
  return p;
}

export const MIN_VERSION = VERSIONS[0][0];
export const MAX_VERSION = VERSIONS[VERSIONS.length - 1][0];
const MIN = parseVersion(MIN_VERSION);
const MAX = parseVersion(MAX_VERSION);

type Headers = Readonly<Record<string, string | string[] | undefined>>;

function headerValues(headers: Headers, name: string): string[] {
  const v = headers[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(','));
}

/** What microversion_parse.get_version reads: `OpenStack-API-Version: compute X`, else the legacy header. */
export function requestedVersion(headers: Headers): string | undefined {
  for (const item of headerValues(headers, 'openstack-api-version')) {
    const [service, ...rest] = item.trim().split(/\s+/);
    if (service?.toLowerCase() === 'compute' && rest.length > 0) return rest.join(' ');
  }
  const legacy = headerValues(headers, 'x-openstack-nova-api-version');
  if (legacy.length > 0) return legacy[legacy.length - 1].trim();
  return undefined;
}

/** The version a request asks for: none → 2.1, `latest` → 2.104; else validated and range-checked. */
export function negotiate(headers: Headers): ApiVersion {
  const asked = requestedVersion(headers);
  if (asked === undefined) return MIN;
  if (asked.toLowerCase() === 'latest') return MAX;
  const v = parseVersion(asked);
  if (!v.between(MIN_VERSION, MAX_VERSION)) throw new UnsupportedApiVersion(v.text, MIN.text, MAX.text);
  return v;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The negotiated microversion (set before auth, on every /v2.1 request). */
    computeMv: ApiVersion;
  }
}

export function setVersionHeaders(reply: FastifyReply, v: ApiVersion): void {
  reply.header('openstack-api-version', `compute ${v.text}`);
  reply.header('x-openstack-nova-api-version', v.text);
  reply.header('vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
}

/** onRequest hook: req.computeMv for every request under /v2.1 (version documents excepted by `skip`). */
export function registerMicroversionHook(app: FastifyInstance, skip: (url: string) => boolean): void {
  app.decorateRequest('computeMv', null as unknown as ApiVersion);
  app.addHook('onRequest', async (req, reply) => {
    req.computeMv = MIN;
    if (skip(req.url)) return;
    req.computeMv = negotiate(req.headers);
    setVersionHeaders(reply, req.computeMv);
  });
}
