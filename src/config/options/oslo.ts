// Groups of the oslo libraries Nova builds on: [oslo_concurrency], [oslo_messaging_notifications],
// [oslo_policy], [cache], [key_manager]. [oslo_messaging_rabbit] has its own file.
import { defineGroup } from '../group.ts';
import { boolOpt, floatOpt, intOpt, listOpt, multiStrOpt, pathOpt, strOpt } from '../opt.ts';

export const osloConcurrencyGroup = defineGroup('oslo_concurrency', 'Locks', 'Inter-process locks.', {
  disable_process_locking: boolOpt({
    help: 'Turn inter-process locks off.',
    default: false,
    deprecated: [{ group: 'DEFAULT' }],
  }),
  lock_path: pathOpt({
    help: 'Directory for lock files. Defaults to $OSLO_LOCK_PATH from the environment; unset otherwise.',
    computedDefault: (ctx) => ctx.env.OSLO_LOCK_PATH,
    sampleDefault: '<None>',
    deprecated: [{ group: 'DEFAULT' }],
  }),
});

export const osloMessagingNotificationsGroup = defineGroup(
  'oslo_messaging_notifications',
  'Notifications transport',
  'Where notifications are sent.',
  {
    driver: multiStrOpt({
      help: 'Notification drivers: messagingv2, messaging, log, routing, test, noop. Repeat for several.',
      deprecated: [{ group: 'DEFAULT', name: 'notification_driver' }],
    }),
    transport_url: strOpt({
      help: 'Message bus for notifications; unset means [DEFAULT] transport_url.',
      secret: true,
      deprecated: [{ group: 'DEFAULT', name: 'notification_transport_url' }],
    }),
    topics: listOpt({
      help: 'Topics notifications are published on.',
      default: ['notifications'],
      deprecated: [
        { group: 'rpc_notifier2', name: 'topics' },
        { group: 'DEFAULT', name: 'notification_topics' },
      ],
    }),
    retry: intOpt({ help: 'Delivery retries of a notification; -1 retries forever.', default: -1 }),
  },
);

export const osloPolicyGroup = defineGroup('oslo_policy', 'Policy', 'API access policy.', {
  enforce_scope: boolOpt({
    help: 'Check the token scope (system or project) against each rule.',
    default: true,
  }),
  enforce_new_defaults: boolOpt({
    help: 'Use the new default rules only, not OR-ed with the deprecated ones.',
    default: true,
  }),
  policy_file: pathOpt({
    help: 'File of rule overrides (YAML or JSON), relative to the config directory.',
    default: 'policy.yaml',
    deprecated: [{ group: 'DEFAULT' }],
  }),
  policy_default_rule: strOpt({
    help: 'Rule used when a requested rule is missing.',
    default: 'default',
    deprecated: [{ group: 'DEFAULT' }],
  }),
  policy_dirs: multiStrOpt({
    help: 'Directories of further rule files, read in order. Repeat for several.',
    default: ['policy.d'],
    deprecated: [{ group: 'DEFAULT' }],
  }),
  remote_timeout: floatOpt({
    help: 'Seconds to wait for remote (http:) policy checks.',
    default: 60,
    min: 0,
  }),
});

export const cacheGroup = defineGroup('cache', 'Cache', 'Caching of lookups (oslo.cache).', {
  enabled: boolOpt({ help: 'Turn caching on.', default: false }),
  backend: strOpt({
    help: 'Cache backend: dogpile.cache.null, dogpile.cache.memory, dogpile.cache.pymemcache, oslo_cache.memcache_pool, …',
    default: 'dogpile.cache.null',
  }),
  memcache_servers: listOpt({ help: 'memcached servers (host:port).', default: ['localhost:11211'] }),
  expiration_time: intOpt({ help: 'Seconds a cached item lives.', default: 600, min: 1 }),
  config_prefix: strOpt({ help: 'Prefix of the cache region configuration.', default: 'cache.oslo' }),
  backend_argument: multiStrOpt({
    help: 'Backend arguments as name:value. Repeat for several.',
    secret: true,
  }),
  debug_cache_backend: boolOpt({ help: 'Log every cache get, set and delete.', default: false }),
  tls_enabled: boolOpt({ help: 'Talk TLS to the cache servers.', default: false }),
});

export const keyManagerGroup = defineGroup(
  'key_manager',
  'Key manager',
  'Encryption keys of encrypted volumes and disks.',
  {
    backend: strOpt({ help: 'Key manager implementation.', default: 'barbican' }),
    fixed_key: strOpt({
      help: 'Hex key for the fixed-key manager (testing only: every disk gets the same key).',
      secret: true,
      deprecated: [{ group: 'keymgr' }],
    }),
  },
);
