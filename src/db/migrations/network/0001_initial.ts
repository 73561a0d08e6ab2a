// Network database (the embedded Neutron-API service): networks, subnets, ports with their IP
// allocations (unique per network and address: the IPAM guarantee) and security groups, security
// groups and rules, routers, floating IPs, quotas. List-valued attributes that are never queried
// (allocation pools, DNS servers, host routes, binding details) are JSON text.
import type { Kysely } from 'kysely';
import { addTimestamps } from '../../columns.ts';
import type { DbCapabilities } from '../../dialects/types.ts';

const ID = 'varchar(36)';
const PROJECT = 'varchar(255)';

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
type Db = Kysely<any>;

async function networks(db: Db, caps: DbCapabilities) {
  await addTimestamps(db.schema.createTable('networks'), caps)
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('project_id', PROJECT, (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('admin_state_up', 'boolean', (c) => c.notNull())
    .addColumn('shared', 'boolean', (c) => c.notNull())
    .addColumn('external', 'boolean', (c) => c.notNull())
    .addColumn('is_default', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('mtu', 'integer', (c) => c.notNull())
    .addColumn('port_security_enabled', 'boolean', (c) => c.notNull())
    .addColumn('network_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('physical_network', 'varchar(64)')
    .addColumn('segmentation_id', 'integer')
    .addColumn('revision_number', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('ix_networks_project_id').on('networks').column('project_id').execute();
}

async function subnets(db: Db, caps: DbCapabilities) {
  await addTimestamps(db.schema.createTable('subnets'), caps)
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('project_id', PROJECT, (c) => c.notNull())
    .addColumn('network_id', ID, (c) => c.notNull().references('networks.id'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('ip_version', 'integer', (c) => c.notNull())
    .addColumn('cidr', 'varchar(64)', (c) => c.notNull())
    .addColumn('gateway_ip', 'varchar(64)')
    .addColumn('enable_dhcp', 'boolean', (c) => c.notNull())
    .addColumn('ipv6_ra_mode', 'varchar(16)')
    .addColumn('ipv6_address_mode', 'varchar(16)')
    .addColumn('allocation_pools', 'text', (c) => c.notNull())
    .addColumn('dns_nameservers', 'text', (c) => c.notNull())
    .addColumn('host_routes', 'text', (c) => c.notNull())
    .addColumn('revision_number', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('ix_subnets_network_id').on('subnets').column('network_id').execute();
}

async function ports(db: Db, caps: DbCapabilities) {
  await addTimestamps(db.schema.createTable('ports'), caps)
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('project_id', PROJECT, (c) => c.notNull())
    .addColumn('network_id', ID, (c) => c.notNull().references('networks.id'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('mac_address', 'varchar(32)', (c) => c.notNull())
    .addColumn('admin_state_up', 'boolean', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('device_id', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('device_owner', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('port_security_enabled', 'boolean', (c) => c.notNull())
    .addColumn('binding_host_id', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('binding_vnic_type', 'varchar(64)', (c) => c.notNull().defaultTo('normal'))
    .addColumn('binding_vif_type', 'varchar(64)', (c) => c.notNull().defaultTo('unbound'))
    .addColumn('binding_vif_details', 'text', (c) => c.notNull())
    .addColumn('binding_profile', 'text', (c) => c.notNull())
    .addColumn('allowed_address_pairs', 'text', (c) => c.notNull())
    .addColumn('revision_number', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('uniq_ports_network_id_mac_address', ['network_id', 'mac_address'])
    .execute();
  for (const col of ['project_id', 'network_id', 'device_id'])
    await db.schema.createIndex(`ix_ports_${col}`).on('ports').column(col).execute();

  // One row per fixed IP. The unique (network_id, ip_address) is what makes a duplicate address
  // impossible, whatever the concurrency: the loser of a race gets a duplicate-key error and retries.
  await db.schema
    .createTable('ip_allocations')
    .addColumn('port_id', ID, (c) => c.notNull().references('ports.id').onDelete('cascade'))
    .addColumn('ip_address', 'varchar(64)', (c) => c.notNull())
    .addColumn('subnet_id', ID, (c) => c.notNull().references('subnets.id'))
    .addColumn('network_id', ID, (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('uniq_ip_allocations_network_id_ip_address', ['network_id', 'ip_address'])
    .execute();
  await db.schema.createIndex('ix_ip_allocations_port_id').on('ip_allocations').column('port_id').execute();
  await db.schema
    .createIndex('ix_ip_allocations_subnet_id')
    .on('ip_allocations')
    .column('subnet_id')
    .execute();
}

async function securityGroups(db: Db, caps: DbCapabilities) {
  await addTimestamps(db.schema.createTable('security_groups'), caps)
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('project_id', PROJECT, (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('stateful', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('revision_number', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('ix_security_groups_project_id')
    .on('security_groups')
    .column('project_id')
    .execute();
  // The project's `default` group: one per project, even when two first requests race.
  await db.schema
    .createTable('default_security_groups')
    .addColumn('project_id', PROJECT, (c) => c.primaryKey())
    .addColumn('security_group_id', ID, (c) =>
      c.notNull().references('security_groups.id').onDelete('cascade'),
    )
    .execute();
  await addTimestamps(db.schema.createTable('security_group_rules'), caps)
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('project_id', PROJECT, (c) => c.notNull())
    .addColumn('security_group_id', ID, (c) =>
      c.notNull().references('security_groups.id').onDelete('cascade'),
    )
    .addColumn('remote_group_id', ID, (c) => c.references('security_groups.id').onDelete('cascade'))
    .addColumn('direction', 'varchar(8)', (c) => c.notNull())
    .addColumn('ethertype', 'varchar(8)', (c) => c.notNull())
    .addColumn('protocol', 'varchar(40)')
    .addColumn('port_range_min', 'integer')
    .addColumn('port_range_max', 'integer')
    .addColumn('remote_ip_prefix', 'varchar(64)')
    .addColumn('description', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('revision_number', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('ix_security_group_rules_security_group_id')
    .on('security_group_rules')
    .column('security_group_id')
    .execute();
  await db.schema
    .createTable('port_security_groups')
    .addColumn('port_id', ID, (c) => c.notNull().references('ports.id').onDelete('cascade'))
    .addColumn('security_group_id', ID, (c) => c.notNull().references('security_groups.id'))
    .addPrimaryKeyConstraint('pk_port_security_groups', ['port_id', 'security_group_id'])
    .execute();
  await db.schema
    .createIndex('ix_port_security_groups_security_group_id')
    .on('port_security_groups')
    .column('security_group_id')
    .execute();
}

async function routersAndFloatingIps(db: Db, caps: DbCapabilities) {
  await addTimestamps(db.schema.createTable('routers'), caps)
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('project_id', PROJECT, (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('admin_state_up', 'boolean', (c) => c.notNull())
    .addColumn('gw_port_id', ID, (c) => c.references('ports.id'))
    .addColumn('enable_snat', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('routes', 'text', (c) => c.notNull())
    .addColumn('revision_number', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('ix_routers_project_id').on('routers').column('project_id').execute();
  await addTimestamps(db.schema.createTable('floatingips'), caps)
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('project_id', PROJECT, (c) => c.notNull())
    .addColumn('description', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('floating_network_id', ID, (c) => c.notNull().references('networks.id'))
    .addColumn('floating_ip_address', 'varchar(64)', (c) => c.notNull())
    .addColumn('floating_port_id', ID, (c) => c.notNull().references('ports.id'))
    .addColumn('fixed_port_id', ID, (c) => c.references('ports.id'))
    .addColumn('fixed_ip_address', 'varchar(64)')
    .addColumn('router_id', ID, (c) => c.references('routers.id'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('revision_number', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('uniq_floatingips_fixed_port_id_fixed_ip_address', [
      'fixed_port_id',
      'fixed_ip_address',
    ])
    .execute();
  await db.schema.createIndex('ix_floatingips_project_id').on('floatingips').column('project_id').execute();
}

export async function up(db: Db, caps: DbCapabilities): Promise<void> {
  await networks(db, caps);
  await subnets(db, caps);
  await ports(db, caps);
  await securityGroups(db, caps);
  await routersAndFloatingIps(db, caps);
  await db.schema
    .createTable('quotas')
    .addColumn('project_id', PROJECT, (c) => c.notNull())
    .addColumn('resource', 'varchar(255)', (c) => c.notNull())
    .addColumn('hard_limit', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_quotas', ['project_id', 'resource'])
    .execute();
  // `networks: auto`: the network and router made for a project (one per project).
  await db.schema
    .createTable('auto_allocated_topologies')
    .addColumn('project_id', PROJECT, (c) => c.primaryKey())
    .addColumn('network_id', ID, (c) => c.notNull().references('networks.id'))
    .addColumn('router_id', ID, (c) => c.references('routers.id'))
    .execute();
}
