// Kysely types of the identity database (what migrations/identity creates): a Keystone v3 subset.
// Ids are Keystone's (uuid4 hex, or fixed ones like `default`); free-form attributes a client sends
// beyond the fixed columns live in `extra` (JSON text), as Keystone keeps them.
import type { DbBool, DbTime, Id } from './column-types.ts';

export interface DomainsTable {
  id: string;
  name: string;
  enabled: DbBool;
  description: string | null;
  extra: string;
  created_at: DbTime;
}

export interface ProjectsTable {
  id: string;
  name: string;
  domain_id: string;
  /** The parent project, or the domain id for a top-level project (as Keystone reports it). */
  parent_id: string | null;
  enabled: DbBool;
  description: string | null;
  extra: string;
  created_at: DbTime;
}

export interface UsersTable {
  id: string;
  name: string;
  domain_id: string;
  enabled: DbBool;
  default_project_id: string | null;
  /** scrypt hash (passwords.ts format); null: the user has no password. */
  password_hash: string | null;
  password_created_at: DbTime;
  password_expires_at: DbTime;
  extra: string;
  created_at: DbTime;
}

export interface GroupsTable {
  id: string;
  name: string;
  domain_id: string;
  description: string | null;
  extra: string;
  created_at: DbTime;
}

export interface UserGroupMembershipsTable {
  user_id: string;
  group_id: string;
}

export interface RolesTable {
  id: string;
  name: string;
  /** NULL_DOMAIN_ID for global roles (so the (name, domain_id) unique key works everywhere). */
  domain_id: string;
  description: string | null;
  extra: string;
}

export interface ImpliedRolesTable {
  prior_role_id: string;
  implied_role_id: string;
}

/** Keystone's assignment table: type is UserProject, GroupProject, UserDomain, GroupDomain, UserSystem, GroupSystem. */
export interface AssignmentsTable {
  type: string;
  actor_id: string;
  /** Project or domain id; 'system' for system grants. */
  target_id: string;
  role_id: string;
  inherited: DbBool;
}

export interface RegionsTable {
  id: string;
  description: string;
  parent_region_id: string | null;
  extra: string;
}

export interface ServicesTable {
  id: string;
  type: string;
  name: string | null;
  enabled: DbBool;
  description: string | null;
  extra: string;
}

export interface EndpointsTable {
  id: string;
  service_id: string;
  interface: string;
  region_id: string | null;
  url: string;
  enabled: DbBool;
  extra: string;
}

export interface ApplicationCredentialsTable {
  id: string;
  name: string;
  secret_hash: string;
  description: string | null;
  user_id: string;
  project_id: string | null;
  system: string | null;
  expires_at: DbTime;
  unrestricted: DbBool;
  created_at: DbTime;
}

export interface ApplicationCredentialRolesTable {
  application_credential_id: string;
  role_id: string;
}

/** Keystone's revocation_event: a token matching every non-null field, issued at or before issued_before, is revoked. */
export interface RevocationEventsTable {
  id: Id;
  audit_id: string | null;
  user_id: string | null;
  project_id: string | null;
  domain_id: string | null;
  issued_before: DbTime;
  revoked_at: DbTime;
}

export interface IdentityDb {
  domains: DomainsTable;
  projects: ProjectsTable;
  users: UsersTable;
  groups: GroupsTable;
  user_group_memberships: UserGroupMembershipsTable;
  roles: RolesTable;
  implied_roles: ImpliedRolesTable;
  assignments: AssignmentsTable;
  regions: RegionsTable;
  services: ServicesTable;
  endpoints: EndpointsTable;
  application_credentials: ApplicationCredentialsTable;
  application_credential_roles: ApplicationCredentialRolesTable;
  revocation_events: RevocationEventsTable;
}
