// POST /servers as upstream's compute API does it: check everything the request names (flavor,
// image, key pair, zone, host, group, quota), write a BuildRequest, RequestSpec and InstanceMapping
// per instance, recheck quota, and hand the build to the conductor. The caller gets 202 at once.
import { randomBytes } from 'node:crypto';
import type { AuthContext } from '../../auth/types.ts';
import type { CellPool } from '../../cells/cell-pool.ts';
import { hostsOfInstances } from '../../cells/lookup.ts';
import type { Clock } from '../../common/clock.ts';
import { newUuid } from '../../common/ids.ts';
import type { NovaConf } from '../../config/index.ts';
import type { Database } from '../../db/connect.ts';
import type { ApiDb } from '../../db/tables/api-db.ts';
import { Invalid } from '../../faults/fault.ts';
import type { ImageClient } from '../../image-client/client.ts';
import { ImageNotFound } from '../../image-client/errors.ts';
import * as buildRequests from '../../objects/build-request.ts';
import type { NewInstance } from '../../objects/instance.ts';
import * as groups from '../../objects/instance-group.ts';
import * as instanceMappings from '../../objects/instance-mapping.ts';
import * as keypairs from '../../objects/keypair.ts';
import * as requestSpecs from '../../objects/request-spec.ts';
import type { RequestContext } from '../../rpc/index.ts';
import type { RequestGroupInfo, RequestSpec } from '../../scheduler/types.ts';
import type { QuotaDeps } from '../quotas.ts';
import { adminPassword } from './actions.ts';
import type { ServersBackend } from './backend.ts';
import {
  bootSource,
  checkAvailabilityZone,
  embedFlavor,
  flavorFor,
  normaliseHints,
  parsePlacement,
  requestedNetworks,
  sanitizeHostname,
} from './create-input.ts';
import { checkImageFitsFlavor, imageMetaOf, imageSystemMetadata } from './image-meta.ts';
import { checkRequestedNetworks } from './networks.ts';
import { checkCreateLimits, instancesAllowed } from './quota.ts';
import { canonicalIpv6 } from './update.ts';

export interface CreateDeps {
  readonly conf: NovaConf;
  readonly apiDb: Database<ApiDb>;
  readonly cells: CellPool;
  readonly clock: Clock;
  readonly quota: QuotaDeps;
  readonly backend: ServersBackend;
  readonly images: ImageClient;
}

export interface CreateRequest {
  readonly auth: AuthContext;
  readonly requestId: string;
  // biome-ignore lint/suspicious/noExplicitAny: validated body.server
  readonly server: any;
  readonly hints: Readonly<Record<string, unknown>> | undefined;
  /** Policy answers the handler worked out (forced host, requested destination, zero-disk flavor). */
  readonly may: {
    readonly forceHost: boolean;
    readonly requestDestination: boolean;
    readonly zeroDisk: boolean;
  };
}

export interface CreateResult {
  readonly uuids: readonly string[];
  readonly reservationId: string;
  readonly adminPass: string | null;
}

async function groupInfo(d: CreateDeps, groupUuid: string): Promise<RequestGroupInfo> {
  let g: groups.InstanceGroup;
  try {
    g = await groups.getByUuid(d.apiDb, groupUuid);
  } catch {
    throw new Invalid(
      `Invalid input received: Instance group ${groupUuid} could not be found.`,
      'nova.group_not_found',
    );
  }
  const hosts = await hostsOfInstances(d.apiDb, d.cells, g.members);
  return { uuid: g.uuid, policy: g.policy ?? 'affinity', rules: g.rules, hosts, members: [...g.members] };
}

export async function createServers(d: CreateDeps, r: CreateRequest): Promise<CreateResult> {
  const s = r.server;
  const projectId = r.auth.project_id ?? '';
  const userId = r.auth.user_id;
  const isAdmin = r.auth.roles.includes('admin');
  const min = Number(s.min_count ?? 1);
  const max = Number(s.max_count ?? min);
  if (min > max) throw new Invalid('min_count must be <= max_count', 'nova.invalid_count');

  const flavorRow = await flavorFor(d.apiDb, s.flavorRef, projectId, isAdmin);
  const flavor = embedFlavor(flavorRow);
  const boot = bootSource(s);
  if (flavor.root_gb === 0 && !boot.bootFromVolume && !r.may.zeroDisk)
    throw new Invalid(
      'Only volume-backed servers are allowed for flavors with zero disk.',
      'nova.boot_from_volume_required_for_zero_disk_flavor',
    );
  let image = null;
  if (boot.imageId) {
    try {
      image = await d.images.show(boot.imageId);
    } catch (err) {
      if (err instanceof ImageNotFound)
        throw new Invalid(`Image ${boot.imageId} could not be found.`, 'nova.image_not_found');
      throw err;
    }
    checkImageFitsFlavor(image, flavor, boot.bootFromVolume);
  }

  let keyData: string | null = null;
  let keypairList: Record<string, unknown>[] = [];
  if (s.key_name !== undefined && s.key_name !== null) {
    const kp = await keypairs.find(d.apiDb, userId, s.key_name);
    if (!kp) throw new Invalid('Invalid key_name provided.', 'nova.invalid_key_name');
    keyData = kp.public_key;
    keypairList = [{ name: kp.name, public_key: kp.public_key, fingerprint: kp.fingerprint, type: kp.type }];
  }

  const where = parsePlacement(s);
  if (where.forced && !r.may.forceHost)
    throw new Invalid('Only admins may force a host in availability_zone.', 'nova.forced_host_forbidden');
  if ((s.host || s.hypervisor_hostname) && !r.may.requestDestination)
    throw new Invalid('Only admins may request a host.', 'nova.requested_destination_forbidden');
  const az = where.az ?? d.conf.DEFAULT.default_schedule_zone ?? null;
  if (az) await checkAvailabilityZone(d.apiDb, az, d.conf.DEFAULT.default_availability_zone);

  await checkCreateLimits(d.quota, projectId, s);
  const networks = requestedNetworks(s);
  if (max > 1 && Array.isArray(networks) && networks.some((n) => n.port_id || n.fixed_ip))
    throw new Invalid(
      'Unable to launch multiple instances with a single configured port ID or fixed IP. Please launch your instances one by one.',
      'nova.invalid_fixed_ip_or_port_count',
    );
  const securityGroups = Array.isArray(s.security_groups)
    ? (s.security_groups as { name: string }[]).map((g) => g.name)
    : undefined;
  await checkRequestedNetworks(d.conf, r.auth, networks, securityGroups);
  const hints = normaliseHints(r.hints);
  const group = hints.group?.[0] ? await groupInfo(d, hints.group[0]) : null;

  const count = await instancesAllowed(d.quota, projectId, userId, flavor, min, max);
  const reservationId = `r-${randomBytes(4).toString('hex').slice(0, 8)}`;
  const adminPass = adminPassword(d.conf, s.adminPass);
  const now = d.clock.now();
  const sysmeta = image ? imageSystemMetadata(image) : {};
  const uuids: string[] = [];
  for (let i = 0; i < count; i++) {
    const uuid = newUuid();
    const displayName = count > 1 ? `${s.name}-${i + 1}` : s.name;
    const inst: NewInstance = {
      uuid,
      project_id: projectId,
      user_id: userId,
      display_name: displayName,
      display_description: s.description ?? null,
      hostname: s.hostname ?? sanitizeHostname(displayName, `Server-${uuid}`),
      image_ref: boot.imageId ?? '',
      key_name: s.key_name ?? null,
      key_data: keyData,
      user_data: s.user_data ?? null,
      vm_state: 'building',
      task_state: 'scheduling',
      power_state: 0,
      launch_index: i,
      flavor,
      instance_type_id: flavorRow.id,
      reservation_id: reservationId,
      availability_zone: az,
      config_drive:
        s.config_drive === true || s.config_drive === 'true' || s.config_drive === 'True' ? 'True' : '',
      access_ip_v4: s.accessIPv4 ?? null,
      access_ip_v6: s.accessIPv6 ? canonicalIpv6(s.accessIPv6) : null,
      auto_disk_config: s['OS-DCF:diskConfig'] === 'AUTO',
      metadata: s.metadata ?? {},
      system_metadata: sysmeta,
      tags: s.tags ?? [],
      keypairs: keypairList,
      trusted_certs: s.trusted_image_certificates ?? null,
      created_at: now,
    };
    const spec: RequestSpec = {
      instance_uuid: uuid,
      project_id: projectId,
      user_id: userId,
      num_instances: count,
      flavor,
      image: image ? imageMetaOf(image) : { min_ram: 0, min_disk: 0, properties: {} },
      availability_zone: az,
      scheduler_hints: hints,
      ignore_hosts: [],
      force_hosts: where.forced && where.host ? [where.host] : [],
      force_nodes: where.forced && where.node ? [where.node] : [],
      requested_destination:
        !where.forced && (where.host || where.node) ? { host: where.host, node: where.node } : null,
      instance_group: group,
      retry: null,
      is_bfv: boot.bootFromVolume,
      operation: 'build',
      ...(securityGroups ? { security_groups: securityGroups } : {}),
    };
    await requestSpecs.save(d.apiDb, spec, now);
    await instanceMappings.create(
      d.apiDb,
      { instance_uuid: uuid, project_id: projectId, user_id: userId },
      now,
    );
    await buildRequests.create(d.apiDb, inst, boot.bdms, now);
    uuids.push(uuid);
  }
  try {
    if (d.conf.quota.recheck_quota)
      await instancesAllowed(d.quota, projectId, userId, flavor, count, count, count);
    if (group) await groups.addMembers(d.apiDb, group.uuid, uuids, now);
  } catch (err) {
    for (const uuid of uuids) await forgetBuild(d.apiDb, uuid);
    throw err;
  }
  const ctx: RequestContext = {
    request_id: r.requestId,
    user_id: userId,
    project_id: projectId,
    roles: r.auth.roles,
    is_admin: isAdmin,
    auth_token: r.auth.token,
  };
  await d.backend.conductor.scheduleAndBuildInstances(ctx, {
    instance_uuids: uuids,
    admin_password: adminPass,
    injected_files: (s.personality ?? []) as { path: string; contents: string }[],
    requested_networks: networks,
  });
  return { uuids, reservationId, adminPass };
}

/** Removes every API-database trace of a server that never reached a cell. */
export async function forgetBuild(apiDb: Database<ApiDb>, uuid: string): Promise<void> {
  await buildRequests.remove(apiDb, uuid);
  await requestSpecs.remove(apiDb, uuid);
  await instanceMappings.remove(apiDb, uuid);
}
