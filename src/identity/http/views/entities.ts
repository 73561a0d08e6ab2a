// Entity → Keystone JSON. `extra` attributes (email, description of users…) are merged in as
// Keystone does; fixed attributes always win.
import type { AppCred } from '../../store/app-creds.ts';
import type { Endpoint, Region, Service } from '../../store/catalog.ts';
import type { Domain } from '../../store/domains.ts';
import type { Group } from '../../store/groups.ts';
import type { Project } from '../../store/projects.ts';
import type { Role } from '../../store/roles.ts';
import type { User } from '../../store/users.ts';
import { entityLinks, isoTimeOrNull } from './links.ts';

type Json = Record<string, unknown>;

const withoutOptions = (extra: Readonly<Record<string, unknown>>): Json => {
  const { options, tags, ...rest } = extra as Json;
  void options;
  void tags;
  return rest;
};

export const domainView = (base: string, d: Domain): Json => ({
  ...withoutOptions(d.extra),
  id: d.id,
  name: d.name,
  description: d.description ?? '',
  enabled: d.enabled,
  tags: (d.extra.tags as unknown[]) ?? [],
  options: (d.extra.options as Json) ?? {},
  links: entityLinks(base, `domains/${d.id}`),
});

export const projectView = (base: string, p: Project): Json => ({
  ...withoutOptions(p.extra),
  id: p.id,
  name: p.name,
  domain_id: p.domain_id,
  description: p.description ?? '',
  enabled: p.enabled,
  parent_id: p.parent_id,
  is_domain: false,
  tags: (p.extra.tags as unknown[]) ?? [],
  options: (p.extra.options as Json) ?? {},
  links: entityLinks(base, `projects/${p.id}`),
});

export const userView = (base: string, u: User): Json => ({
  ...withoutOptions(u.extra),
  id: u.id,
  name: u.name,
  domain_id: u.domain_id,
  enabled: u.enabled,
  ...(u.default_project_id ? { default_project_id: u.default_project_id } : {}),
  password_expires_at: isoTimeOrNull(u.password_expires_at),
  options: (u.extra.options as Json) ?? {},
  links: entityLinks(base, `users/${u.id}`),
});

export const groupView = (base: string, g: Group): Json => ({
  ...withoutOptions(g.extra),
  id: g.id,
  name: g.name,
  domain_id: g.domain_id,
  description: g.description ?? '',
  links: entityLinks(base, `groups/${g.id}`),
});

export const roleView = (base: string, r: Role): Json => ({
  ...withoutOptions(r.extra),
  id: r.id,
  name: r.name,
  domain_id: r.domain_id,
  description: r.description,
  options: (r.extra.options as Json) ?? {},
  links: entityLinks(base, `roles/${r.id}`),
});

export const roleRefView = (base: string, r: Role): Json => ({
  id: r.id,
  name: r.name,
  links: entityLinks(base, `roles/${r.id}`),
});

export const regionView = (base: string, r: Region): Json => ({
  ...r.extra,
  id: r.id,
  description: r.description,
  parent_region_id: r.parent_region_id,
  links: entityLinks(base, `regions/${r.id}`),
});

export const serviceView = (base: string, s: Service): Json => ({
  ...s.extra,
  id: s.id,
  type: s.type,
  ...(s.name !== null ? { name: s.name } : {}),
  ...(s.description !== null ? { description: s.description } : {}),
  enabled: s.enabled,
  links: entityLinks(base, `services/${s.id}`),
});

export const endpointView = (base: string, e: Endpoint): Json => ({
  ...e.extra,
  id: e.id,
  interface: e.interface,
  region_id: e.region_id,
  region: e.region_id,
  service_id: e.service_id,
  url: e.url,
  enabled: e.enabled,
  links: entityLinks(base, `endpoints/${e.id}`),
});

export const appCredView = (base: string, a: AppCred, roles: readonly Role[], secret?: string): Json => ({
  id: a.id,
  name: a.name,
  description: a.description,
  user_id: a.user_id,
  project_id: a.project_id,
  ...(a.system ? { system: a.system } : {}),
  expires_at: isoTimeOrNull(a.expires_at),
  unrestricted: a.unrestricted,
  access_rules: [],
  roles: roles.map((r) => ({ id: r.id, name: r.name, domain_id: r.domain_id })),
  ...(secret !== undefined ? { secret } : {}),
  links: entityLinks(base, `users/${a.user_id}/application_credentials/${a.id}`),
});
