// The deprecated security group proxies (os-security-groups, os-security-group-rules, until 2.35)
// and the server's groups (GET /servers/{id}/os-security-groups, add/removeSecurityGroup), as
// upstream's nova/network/security_group_api.py does them against Neutron with the caller's token:
// Nova's view of a group (ingress rules only, ports -1/1..65535 filled in for bare protocols), the
// rule checks Nova makes before Neutron sees the rule, and Neutron's errors mapped as Nova maps
// them (404 → not found, 409 on delete/rule create → 400).
import { Conflict, Forbidden, Invalid, NotFound } from '../faults/fault.ts';
import { type Json, type NetworkClient, NetworkServiceError } from '../network-client/client.ts';
import { isUuidLike } from './uuids.ts';

export interface NovaRule {
  readonly id: string;
  readonly parent_group_id: string;
  readonly ip_protocol: string | null;
  readonly from_port: number | null;
  readonly to_port: number | null;
  readonly ip_range: { readonly cidr?: string };
  readonly group: { readonly name?: string; readonly tenant_id?: string };
}

export interface NovaGroup {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly tenant_id: string;
  readonly rules: NovaRule[];
}

const statusOf = (err: unknown) => (err instanceof NetworkServiceError ? err.httpStatus : undefined);

export const groupNotFound = (id: string) =>
  new NotFound(`Security group ${id} not found.`, 'nova.security_group_not_found');

/** Neutron's 404 as Nova's SecurityGroupNotFound; anything else unchanged. */
async function orNotFound<T>(p: Promise<T>, id: string): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (statusOf(err) === 404) throw groupNotFound(id);
    throw err;
  }
}

/** upstream validate_property: a string, 1..255 characters once stripped (sent as given). */
export function validateProperty(value: unknown, property: 'name' | 'description'): string {
  if (typeof value !== 'string') throw new Invalid(`Security group ${property} is not a string or unicode`);
  const v = value.trim();
  if (v.length < 1) throw new Invalid(`${property} has a minimum character requirement of 1.`);
  if (v.length > 255) throw new Invalid(`${property} has more than 255 characters.`);
  return value;
}

function ruleOf(r: Json): { protocol: string | null; from: number | null; to: number | null } {
  const protocol = (r.protocol as string | null | undefined) ?? null;
  const min = (r.port_range_min as number | null | undefined) ?? null;
  const max = (r.port_range_max as number | null | undefined) ?? null;
  if (protocol && min === null && max === null) {
    const tcpUdp = ['TCP', 'UDP'].includes(protocol.toUpperCase());
    return { protocol, from: tcpUdp ? 1 : -1, to: tcpUdp ? 65535 : -1 };
  }
  return { protocol, from: min, to: max };
}

/** One Neutron ingress rule as Nova shows it; the remote group's name and project when it has one. */
async function novaRule(client: NetworkClient, r: Json, groups: Map<string, Json | null>): Promise<NovaRule> {
  const { protocol, from, to } = ruleOf(r);
  const remote = (r.remote_group_id as string | null | undefined) ?? null;
  let group: NovaRule['group'] = {};
  let ipRange: NovaRule['ip_range'] = {};
  if (remote) {
    if (!groups.has(remote)) groups.set(remote, await client.showSecurityGroup(remote).catch(() => null));
    const g = groups.get(remote);
    if (g) group = { name: String(g.name), tenant_id: String(g.project_id ?? g.tenant_id) };
  } else {
    const prefix = (r.remote_ip_prefix as string | null | undefined) ?? null;
    ipRange = { cidr: prefix ?? (r.ethertype === 'IPv6' ? '::/0' : '0.0.0.0/0') };
  }
  return {
    id: String(r.id),
    parent_group_id: String(r.security_group_id),
    ip_protocol: protocol,
    from_port: from,
    to_port: to,
    ip_range: ipRange,
    group,
  };
}

export async function novaGroup(
  client: NetworkClient,
  g: Json,
  groups = new Map<string, Json | null>(),
): Promise<NovaGroup> {
  groups.set(String(g.id), g);
  const rules: NovaRule[] = [];
  for (const r of (g.security_group_rules as Json[] | undefined) ?? [])
    if (r.direction === 'ingress') rules.push(await novaRule(client, r, groups));
  return {
    id: String(g.id),
    name: String(g.name),
    description: String(g.description ?? ''),
    tenant_id: String(g.project_id ?? g.tenant_id),
    rules,
  };
}

export async function listGroups(
  client: NetworkClient,
  projectId: string | undefined,
  allTenants: boolean,
): Promise<NovaGroup[]> {
  const raw = await client.listSecurityGroups(allTenants || !projectId ? {} : { project_id: projectId });
  const cache = new Map<string, Json | null>(raw.map((g) => [String(g.id), g]));
  const out: NovaGroup[] = [];
  for (const g of raw) out.push(await novaGroup(client, g, cache));
  return out;
}

export async function showGroup(client: NetworkClient, id: string): Promise<NovaGroup> {
  return novaGroup(client, await orNotFound(client.showSecurityGroup(id), id));
}

export async function createGroup(client: NetworkClient, name: unknown, description: unknown) {
  const body = {
    name: validateProperty(name, 'name'),
    description: validateProperty(description, 'description'),
  };
  try {
    return await novaGroup(client, await client.createSecurityGroup(body));
  } catch (err) {
    // Neutron's 409 here is a quota overrun: Nova's SecurityGroupLimitExceeded (403).
    if (statusOf(err) === 409)
      throw new Forbidden((err as Error).message, 'nova.security_group_limit_exceeded');
    if (statusOf(err) === 400) throw new Invalid((err as Error).message);
    throw err;
  }
}

export async function updateGroup(client: NetworkClient, id: string, name: unknown, description: unknown) {
  const body = {
    name: validateProperty(name, 'name'),
    description: validateProperty(description, 'description'),
  };
  await orNotFound(client.showSecurityGroup(id), id);
  try {
    return await novaGroup(client, await client.updateSecurityGroup(id, body));
  } catch (err) {
    if (statusOf(err) === 404) throw groupNotFound(id);
    if (statusOf(err) === 409 || statusOf(err) === 400) throw new Invalid((err as Error).message);
    throw err;
  }
}

/** Deleting a group in use or the default group: Neutron's 409, Nova's 400. */
export async function deleteGroup(client: NetworkClient, id: string): Promise<void> {
  try {
    await client.deleteSecurityGroup(id);
  } catch (err) {
    if (statusOf(err) === 404) throw groupNotFound(id);
    if (statusOf(err) === 409) throw new Invalid((err as Error).message, 'nova.security_group_in_use');
    throw err;
  }
}

export interface RuleInput {
  readonly parent_group_id?: unknown;
  readonly ip_protocol?: unknown;
  readonly from_port?: unknown;
  readonly to_port?: unknown;
  readonly cidr?: unknown;
  readonly group_id?: unknown;
}

function port(v: unknown): number | null {
  if (v === undefined || v === null) return null;
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!/^-?\d+$/.test(s)) throw new Invalid('Parameter from_port/to_port must be an integer.');
  return Number(s);
}

function checkUuid(v: unknown): string {
  if (typeof v !== 'string' || !isUuidLike(v)) throw new Invalid('Security group id should be uuid');
  return v;
}

/** upstream's parse_cidr: a valid IPv4/IPv6 network, '0.0.0.0/0' when none is given. */
function parseCidr(v: unknown): string {
  if (v === undefined || v === null || v === '') return '0.0.0.0/0';
  if (typeof v !== 'string') throw new Invalid(`Invalid cidr ${String(v)}.`);
  const [addr, len, ...rest] = decodeURIComponent(v).split('/');
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr ?? '');
  const okV4 = v4?.slice(1).every((o) => Number(o) <= 255) === true;
  const okV6 = !okV4 && /^[0-9a-fA-F:.]+$/.test(addr ?? '') && (addr ?? '').includes(':');
  const max = okV4 ? 32 : 128;
  const okLen = len === undefined || (/^\d+$/.test(len) && Number(len) <= max);
  if (rest.length > 0 || !(okV4 || okV6) || !okLen) throw new Invalid(`Invalid cidr ${v}.`);
  return len === undefined ? `${addr}/${max}` : `${addr}/${len}`;
}

/** upstream _new_ingress_rule: protocol and port checks; undefined when not enough to build a rule. */
export function ingressRule(input: RuleInput): Json {
  const groupId =
    input.group_id === undefined || input.group_id === null ? undefined : checkUuid(input.group_id);
  const cidr = groupId ? undefined : parseCidr(input.cidr);
  const protocol =
    input.ip_protocol === undefined || input.ip_protocol === null ? '' : String(input.ip_protocol);
  const up = protocol.toUpperCase();
  let from = port(input.from_port);
  let to = port(input.to_port);
  if (up === 'ICMP' && from === null && to === null) [from, to] = [-1, -1];
  else if ((up === 'TCP' || up === 'UDP') && from === null && to === null) [from, to] = [1, 65535];
  if (!protocol || from === null || to === null)
    throw new Invalid('Not enough parameters to build a valid rule.');
  if (!/^\d+$/.test(protocol) && !['TCP', 'UDP', 'ICMP'].includes(up))
    throw new Invalid(`Invalid IP protocol ${protocol}.`, 'nova.invalid_ip_protocol');
  if ((up === 'TCP' || up === 'UDP') && from > to)
    throw new Invalid(
      'Invalid port range. Former value cannot be greater than the later',
      'nova.invalid_port_range',
    );
  if ((up === 'TCP' || up === 'UDP') && (from < 1 || to > 65535))
    throw new Invalid(
      `Invalid port range. Valid ${protocol} ports should be between 1-65535`,
      'nova.invalid_port_range',
    );
  if (up === 'ICMP' && (from < -1 || from > 255 || to < -1 || to > 255))
    throw new Invalid('Invalid port range. For ICMP, the type:code must be valid', 'nova.invalid_port_range');
  const icmp = up === 'ICMP';
  return {
    direction: 'ingress',
    ethertype: cidr?.includes(':') ? 'IPv6' : 'IPv4',
    protocol: protocol.toLowerCase(),
    port_range_min: icmp && from === -1 ? null : from,
    port_range_max: icmp && to === -1 ? null : to,
    ...(groupId ? { remote_group_id: groupId } : { remote_ip_prefix: cidr }),
  };
}

export async function createRule(client: NetworkClient, input: RuleInput): Promise<NovaRule> {
  const parent = checkUuid(input.parent_group_id);
  const rule = ingressRule(input);
  await orNotFound(client.showSecurityGroup(parent), parent);
  if (typeof rule.remote_group_id === 'string')
    await orNotFound(client.showSecurityGroup(rule.remote_group_id), rule.remote_group_id);
  let created: Json;
  try {
    created = await client.createSecurityGroupRule({ ...rule, security_group_id: parent });
  } catch (err) {
    if (statusOf(err) === 404) throw groupNotFound(parent);
    if (statusOf(err) === 409 || statusOf(err) === 400) throw new Invalid((err as Error).message);
    throw err;
  }
  const shown = await novaRule(client, created, new Map());
  // The cidr as the caller wrote it (Neutron may store the network address instead).
  return typeof input.cidr === 'string' && shown.ip_range.cidr
    ? { ...shown, ip_range: { cidr: input.cidr } }
    : shown;
}

export async function deleteRule(client: NetworkClient, id: string): Promise<void> {
  try {
    await client.showSecurityGroupRule(id);
    await client.deleteSecurityGroupRule(id);
  } catch (err) {
    if (statusOf(err) === 404)
      throw new NotFound(`Security group rule ${id} not found.`, 'nova.security_group_rule_not_found');
    throw err;
  }
}

/** The groups of the server's ports, in Nova's view. */
export async function serverGroups(client: NetworkClient, uuid: string): Promise<NovaGroup[]> {
  const ports = await client.listPorts({ device_id: uuid });
  const ids = [...new Set(ports.flatMap((p) => (p.security_groups as string[] | undefined) ?? []))];
  if (ids.length === 0) return [];
  const raw = await client.listSecurityGroups({ id: ids });
  const cache = new Map<string, Json | null>(raw.map((g) => [String(g.id), g]));
  const out: NovaGroup[] = [];
  for (const g of raw) out.push(await novaGroup(client, g, cache));
  return out;
}

/** The group a name (or id) means in the caller's project: 404 none, 409 several. */
async function findGroup(
  client: NetworkClient,
  projectId: string | undefined,
  name: string,
): Promise<string> {
  const mine = await client.listSecurityGroups(projectId ? { project_id: projectId } : {});
  const byId = mine.find((g) => g.id === name);
  if (byId) return String(byId.id);
  const byName = mine.filter((g) => g.name === name);
  if (byName.length > 1)
    throw new Conflict(
      `Multiple security_group matches found for name '${name}', use an ID to be more specific.`,
      'nova.no_unique_match',
    );
  if (byName.length === 0)
    throw new NotFound(
      `Security group ${name} not found for project ${projectId}.`,
      'nova.security_group_not_found',
    );
  return String(byName[0].id);
}

/** addSecurityGroup: the group joins every port of the server (400 when a port has port security off). */
export async function addToServer(
  client: NetworkClient,
  projectId: string | undefined,
  uuid: string,
  name: string,
) {
  const id = await findGroup(client, projectId, name);
  const ports = await client.listPorts({ device_id: uuid });
  if (ports.length === 0)
    throw new NotFound(
      `instance_id ${uuid} could not be found as device id on any ports`,
      'nova.security_group_not_found',
    );
  for (const p of ports) {
    if (p.port_security_enabled === false)
      throw new Invalid(
        `Network requires port_security_enabled and subnet associated in order to apply security groups.`,
        'nova.security_group_cannot_be_applied',
      );
    const groups = (p.security_groups as string[] | undefined) ?? [];
    if (groups.includes(id)) continue;
    await client.updatePort(String(p.id), { security_groups: [...groups, id] });
  }
}

/** removeSecurityGroup: the group leaves the server's ports (400 when none of them has it). */
export async function removeFromServer(
  client: NetworkClient,
  projectId: string | undefined,
  uuid: string,
  name: string,
) {
  const id = await findGroup(client, projectId, name);
  const ports = await client.listPorts({ device_id: uuid });
  let found = false;
  for (const p of ports) {
    const groups = (p.security_groups as string[] | undefined) ?? [];
    if (!groups.includes(id)) continue;
    found = true;
    await client.updatePort(String(p.id), { security_groups: groups.filter((g) => g !== id) });
  }
  if (!found)
    throw new Invalid(
      `Security group ${name} not associated with the instance ${uuid}`,
      'nova.security_group_not_exists_for_instance',
    );
}
