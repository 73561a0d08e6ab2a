// Quota set, quota class set and limits schemas (upstream schemas/quota_sets.py,
// quota_classes.py, limits.py): the network quotas leave at 2.36 (2.50 for classes), the
// personality ones at 2.57.
import { byVersion } from '../routing/route.ts';
import { boolean, commonQueryParam, multiParams, querySchema, wrapped } from '../validation/params.ts';
import type { JsonSchema } from '../validation/validator.ts';

const quota: JsonSchema = {
  type: ['integer', 'string'],
  pattern: '^-?[0-9]+$',
  minimum: -1,
  maximum: 0x7fffffff,
};

const ALL = [
  'instances',
  'cores',
  'ram',
  'floating_ips',
  'fixed_ips',
  'metadata_items',
  'key_pairs',
  'security_groups',
  'security_group_rules',
  'injected_files',
  'injected_file_content_bytes',
  'injected_file_path_bytes',
  'server_groups',
  'server_group_members',
];
export const NETWORK_QUOTAS = Object.freeze([
  'fixed_ips',
  'floating_ips',
  'security_group_rules',
  'security_groups',
]);
export const PERSONALITY_QUOTAS = Object.freeze([
  'injected_files',
  'injected_file_content_bytes',
  'injected_file_path_bytes',
]);

const props = (exclude: readonly string[]) =>
  Object.fromEntries(ALL.filter((r) => !exclude.includes(r)).map((r) => [r, quota]));

const setBody = (key: string, p: Record<string, JsonSchema>) =>
  wrapped(key, { type: 'object', properties: p, additionalProperties: false });

export const quotaSetUpdateBody = byVersion(
  ['2.1', setBody('quota_set', { ...props([]), force: boolean })],
  ['2.36', setBody('quota_set', { ...props(NETWORK_QUOTAS), force: boolean })],
  ['2.57', setBody('quota_set', { ...props([...NETWORK_QUOTAS, ...PERSONALITY_QUOTAS]), force: boolean })],
);

export const quotaClassUpdateBody = byVersion(
  ['2.1', setBody('quota_class_set', props([]))],
  ['2.50', setBody('quota_class_set', props(NETWORK_QUOTAS))],
  ['2.57', setBody('quota_class_set', props([...NETWORK_QUOTAS, ...PERSONALITY_QUOTAS]))],
);

const userQuery = { user_id: multiParams({ type: 'string' }) };

/** show, detail, update, delete of a quota set */
export const quotaSetQuery = byVersion(
  ['2.1', querySchema(userQuery, true)],
  ['2.75', querySchema(userQuery, false)],
);

export const defaultsQuery = byVersion(['2.1', querySchema({}, true)], ['2.102', querySchema({}, false)]);
export const quotaClassShowQuery = defaultsQuery;

export const limitsQuery = byVersion(
  ['2.1', querySchema({ tenant_id: commonQueryParam }, true)],
  ['2.75', querySchema({ tenant_id: commonQueryParam }, false)],
);
