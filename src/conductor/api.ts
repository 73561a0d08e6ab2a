// The conductor's RPC contract: topic, version and the plain-data payloads of each method.
import type { ComputeNodeReport } from '../objects/compute-node.ts';
import type { RegisteredService, ServiceIdentity } from '../service/service-store.ts';

export const CONDUCTOR_TOPIC = 'conductor';

/** RPC API version of the conductor endpoint; add a note per bump, never edit old ones. */
export const CONDUCTOR_RPC_VERSION = '1.2';
export const CONDUCTOR_RPC_HISTORY: readonly { readonly version: string; readonly note: string }[] = [
  { version: '1.0', note: 'service_register, service_heartbeat, compute_node_update' },
  {
    version: '1.1',
    note: 'schedule_and_build_instances, build_instances (casts); instance_get/update/destroy, instances_on_host, instance_fault_create, action_event_start/finish, instance_set_network_info, instance_system_metadata_set',
  },
  {
    version: '1.2',
    note: 'migrate_server, live_migrate_instance, rebuild_instance, rebuild_server, unshelve_instance; migration_get/update, migrations_by_host, migrations_of_instance, instance_set_flavors, instance_system_metadata_remove, instance_group_member_hosts',
  },
];

export interface ConductorMethods {
  service_register(args: ServiceIdentity): Promise<RegisteredService>;
  service_heartbeat(args: RegisteredService): Promise<null>;
  compute_node_update(args: ComputeNodeReport): Promise<{ id: number; uuid: string }>;
}
