// [oslo_messaging_rabbit]: the RabbitMQ driver. rabbit_host, rabbit_hosts, rabbit_port,
// rabbit_userid, rabbit_password and rabbit_virtual_host predate transport_url; when transport_url
// is unset and any of them is set, legacy/rabbit-transport.ts builds transport_url from them.
import { defineGroup } from '../group.ts';
import { boolOpt, floatOpt, intOpt, listOpt, pathOpt, portOpt, strOpt } from '../opt.ts';

const fromDefault = [{ group: 'DEFAULT' }] as const;

export const RABBIT_CONNECTION_OPTS = [
  'rabbit_host',
  'rabbit_hosts',
  'rabbit_port',
  'rabbit_userid',
  'rabbit_password',
  'rabbit_virtual_host',
] as const;

export const rabbitGroup = defineGroup(
  'oslo_messaging_rabbit',
  'RabbitMQ',
  'The RabbitMQ messaging driver.',
  {
    rabbit_host: strOpt({
      help: 'RabbitMQ host (old style; use transport_url).',
      default: 'localhost',
      deprecated: fromDefault,
    }),
    rabbit_port: portOpt({
      help: 'RabbitMQ port (old style; use transport_url).',
      default: 5672,
      deprecated: fromDefault,
    }),
    rabbit_hosts: listOpt({
      help: 'RabbitMQ cluster members as host:port (old style; use transport_url).',
      default: ['$rabbit_host:$rabbit_port'],
      deprecated: fromDefault,
    }),
    rabbit_userid: strOpt({
      help: 'RabbitMQ user (old style; use transport_url).',
      default: 'guest',
      deprecated: fromDefault,
    }),
    rabbit_password: strOpt({
      help: 'RabbitMQ password (old style; use transport_url).',
      default: 'guest',
      secret: true,
      deprecated: fromDefault,
    }),
    rabbit_virtual_host: strOpt({
      help: 'RabbitMQ virtual host (old style; use transport_url).',
      default: '/',
      deprecated: fromDefault,
    }),
    rabbit_login_method: strOpt({
      help: 'SASL mechanism: PLAIN, AMQPLAIN, EXTERNAL or RABBIT-CR-DEMO.',
      default: 'AMQPLAIN',
      choices: ['PLAIN', 'AMQPLAIN', 'EXTERNAL', 'RABBIT-CR-DEMO'],
      deprecated: fromDefault,
    }),
    rabbit_retry_interval: intOpt({ help: 'Seconds before reconnecting to RabbitMQ.', default: 1, min: 1 }),
    rabbit_retry_backoff: intOpt({
      help: 'Seconds added to the retry interval after each attempt.',
      default: 2,
      min: 0,
      deprecated: fromDefault,
    }),
    rabbit_interval_max: intOpt({
      help: 'Longest interval between reconnection attempts.',
      default: 30,
      min: 1,
    }),
    rabbit_ha_queues: boolOpt({ help: 'Use mirrored (HA) queues.', default: false, deprecated: fromDefault }),
    rabbit_quorum_queue: boolOpt({ help: 'Use quorum queues.', default: false }),
    rabbit_transient_queues_ttl: intOpt({
      help: 'Seconds an unused transient queue survives.',
      default: 1800,
      min: 0,
    }),
    rabbit_qos_prefetch_count: intOpt({
      help: 'Messages prefetched per consumer; 0 means no limit.',
      default: 0,
    }),
    amqp_durable_queues: boolOpt({
      help: 'Make queues and exchanges durable.',
      default: false,
      deprecated: [
        { group: 'DEFAULT', name: 'amqp_durable_queues' },
        { group: 'DEFAULT', name: 'rabbit_durable_queues' },
      ],
    }),
    amqp_auto_delete: boolOpt({
      help: 'Delete queues when their last consumer goes.',
      default: false,
      deprecated: fromDefault,
    }),
    heartbeat_timeout_threshold: intOpt({
      help: 'Seconds without a heartbeat after which the connection counts as dead; 0 disables heartbeats.',
      default: 60,
    }),
    heartbeat_rate: intOpt({ help: 'Heartbeat checks per timeout threshold.', default: 3 }),
    kombu_reconnect_delay: floatOpt({
      help: 'Seconds before reconnecting after a consumer cancel.',
      default: 1.0,
      min: 0,
      deprecated: fromDefault,
    }),
    ssl: boolOpt({
      help: 'Connect to RabbitMQ over TLS.',
      default: false,
      deprecated: [{ name: 'rabbit_use_ssl' }, { group: 'DEFAULT', name: 'rabbit_use_ssl' }],
    }),
    ssl_ca_file: pathOpt({
      help: 'CA bundle to verify RabbitMQ with.',
      default: '',
      deprecated: [{ name: 'kombu_ssl_ca_certs' }],
    }),
    ssl_cert_file: pathOpt({
      help: 'Client certificate for RabbitMQ.',
      default: '',
      deprecated: [{ name: 'kombu_ssl_certfile' }],
    }),
    ssl_key_file: pathOpt({
      help: 'Client key for RabbitMQ.',
      default: '',
      deprecated: [{ name: 'kombu_ssl_keyfile' }],
    }),
  },
);
