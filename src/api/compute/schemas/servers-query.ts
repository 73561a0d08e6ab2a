// Query schemas of GET /servers, /servers/detail (upstream schemas/servers.py index_query*) and
// GET /servers/{id}, and the filter lists the list handler works with.
import { byVersion } from '../routing/route.ts';
import { commonQueryParam, multiParams, nonNegativeInteger, querySchema } from '../validation/params.ts';
import type { JsonSchema } from '../validation/validator.ts';

const regexParam = multiParams({ type: 'string', format: 'regex' });
const dateTimeParam = multiParams({ type: 'string', format: 'date-time' });

/** Sort keys accepted before 2.75 but ignored (dropped with their direction). */
export const IGNORED_SORT_KEYS = Object.freeze([
  'architecture',
  'cell_name',
  'cleaned',
  'default_ephemeral_device',
  'default_swap_device',
  'deleted',
  'deleted_at',
  'disable_terminate',
  'ephemeral_gb',
  'ephemeral_key_uuid',
  'id',
  'key_data',
  'launched_on',
  'locked',
  'memory_mb',
  'os_type',
  'reservation_id',
  'root_gb',
  'shutdown_terminate',
  'user_data',
  'vcpus',
  'vm_mode',
]);

/** From 2.73 `locked` is a real sort key. */
export const IGNORED_SORT_KEYS_V273 = Object.freeze(IGNORED_SORT_KEYS.filter((k) => k !== 'locked'));

export const SORT_KEYS = Object.freeze([
  'access_ip_v4',
  'access_ip_v6',
  'auto_disk_config',
  'availability_zone',
  'config_drive',
  'created_at',
  'display_description',
  'display_name',
  'host',
  'hostname',
  'image_ref',
  'instance_type_id',
  'kernel_id',
  'key_name',
  'launch_index',
  'launched_at',
  'locked_by',
  'node',
  'power_state',
  'progress',
  'project_id',
  'ramdisk_id',
  'root_device_name',
  'task_state',
  'terminated_at',
  'updated_at',
  'user_id',
  'uuid',
  'vm_state',
]);

/** Sort keys only admins may use (403 for others). */
export const ADMIN_SORT_KEYS = Object.freeze(['host', 'node']);

/** Parameters naming joined tables: 400 "Invalid filter field" when they reach the filters. */
export const JOINED_TABLE_PARAMS = Object.freeze([
  'block_device_mapping',
  'services',
  'metadata',
  'system_metadata',
  'info_cache',
  'security_groups',
  'pci_devices',
]);

/** Filters anyone may use, by first microversion (upstream _get_server_search_options). */
const USER_FILTERS: readonly (readonly [string, readonly string[]])[] = [
  ['2.1', ['reservation_id', 'name', 'status', 'image', 'flavor', 'ip', 'changes-since', 'all_tenants']],
  ['2.5', ['ip6']],
  ['2.26', ['tags', 'tags-any', 'not-tags', 'not-tags-any']],
  ['2.66', ['changes-before']],
  ['2.73', ['locked']],
  [
    '2.83',
    [
      'availability_zone',
      'config_drive',
      'key_name',
      'created_at',
      'launched_at',
      'terminated_at',
      'power_state',
      'task_state',
      'vm_state',
      'progress',
      'user_id',
    ],
  ],
  ['2.90', ['hostname']],
];

export function userFilters(atLeast: (v: string) => boolean): Set<string> {
  return new Set(USER_FILTERS.filter(([v]) => atLeast(v)).flatMap(([, names]) => names));
}

const sortKeyParam = (keys: readonly string[]) => multiParams({ type: 'string', enum: [...keys] });

const v21: Record<string, JsonSchema> = {
  user_id: commonQueryParam,
  project_id: commonQueryParam,
  tenant_id: commonQueryParam,
  launch_index: commonQueryParam,
  image_ref: commonQueryParam,
  image: commonQueryParam,
  kernel_id: regexParam,
  ramdisk_id: regexParam,
  hostname: regexParam,
  key_name: regexParam,
  power_state: regexParam,
  vm_state: commonQueryParam,
  task_state: commonQueryParam,
  host: commonQueryParam,
  node: regexParam,
  flavor: regexParam,
  reservation_id: regexParam,
  launched_at: regexParam,
  terminated_at: regexParam,
  availability_zone: regexParam,
  name: regexParam,
  display_name: regexParam,
  description: regexParam,
  display_description: regexParam,
  locked_by: regexParam,
  uuid: commonQueryParam,
  root_device_name: regexParam,
  config_drive: regexParam,
  access_ip_v4: regexParam,
  access_ip_v6: regexParam,
  auto_disk_config: regexParam,
  progress: regexParam,
  sort_key: sortKeyParam([...SORT_KEYS, ...IGNORED_SORT_KEYS]),
  sort_dir: commonQueryParam,
  all_tenants: commonQueryParam,
  soft_deleted: commonQueryParam,
  deleted: commonQueryParam,
  status: commonQueryParam,
  'changes-since': dateTimeParam,
  ip: regexParam,
  ip6: regexParam,
  created_at: regexParam,
  ...Object.fromEntries(JOINED_TABLE_PARAMS.map((p) => [p, commonQueryParam])),
  limit: multiParams(nonNegativeInteger),
  marker: multiParams({ type: 'string' }),
};

const v226 = {
  ...v21,
  tags: regexParam,
  'tags-any': regexParam,
  'not-tags': regexParam,
  'not-tags-any': regexParam,
};
const v266 = { ...v226, 'changes-before': dateTimeParam };
const v273 = {
  ...v266,
  sort_key: sortKeyParam(['locked', ...SORT_KEYS, ...IGNORED_SORT_KEYS_V273]),
  locked: commonQueryParam,
};
const v275 = { ...v273, sort_key: sortKeyParam(['locked', ...SORT_KEYS]) };

/**
 * Unknown parameters are dropped before 2.75 and refused from then on; names starting with '_'
 * always pass the schema (the handler refuses them for callers allowed every filter).
 */
const listSchema = (props: Record<string, JsonSchema>, additional: boolean): JsonSchema =>
  Object.freeze({
    type: 'object',
    properties: props,
    patternProperties: { '^_': commonQueryParam },
    additionalProperties: additional,
  });

export const indexQuery = byVersion(
  ['2.1', listSchema(v21, true)],
  ['2.26', listSchema(v226, true)],
  ['2.66', listSchema(v266, true)],
  ['2.73', listSchema(v273, true)],
  ['2.75', listSchema(v275, false)],
);

export const showQuery = byVersion(['2.1', querySchema({}, true)], ['2.102', querySchema({}, false)]);
