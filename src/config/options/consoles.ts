// Console groups: [vnc], [serial_console], [spice], [mks], [consoleauth], [console].
import { defineGroup } from '../group.ts';
import { boolOpt, hostAddressOpt, intOpt, listOpt, pathOpt, portOpt, strOpt, uriOpt } from '../opt.ts';

const fromDefault = [{ group: 'DEFAULT' }] as const;

export const vncGroup = defineGroup(
  'vnc',
  'VNC consoles',
  'Graphical consoles over VNC, proxied by nova-novncproxy.',
  {
    enabled: boolOpt({
      help: 'Give instances a VNC console.',
      default: true,
      deprecated: [
        { group: 'DEFAULT', name: 'vnc_enabled' },
        { group: 'DEFAULT', name: 'novnc_enabled' },
      ],
    }),
    server_listen: hostAddressOpt({
      help: 'Address the VNC servers of instances on this compute host listen on.',
      default: '127.0.0.1',
      deprecated: [{ group: 'DEFAULT', name: 'vncserver_listen' }, { name: 'vncserver_listen' }],
    }),
    server_proxyclient_address: hostAddressOpt({
      help: 'Address the console proxy uses to reach VNC servers on this compute host.',
      default: '127.0.0.1',
      deprecated: [
        { group: 'DEFAULT', name: 'vncserver_proxyclient_address' },
        { name: 'vncserver_proxyclient_address' },
      ],
    }),
    novncproxy_base_url: uriOpt({
      help: 'Public URL of the noVNC client page handed to users (a token is appended).',
      default: 'http://127.0.0.1:6080/vnc_auto.html',
      deprecated: fromDefault,
    }),
    novncproxy_host: hostAddressOpt({
      help: 'Address nova-novncproxy listens on.',
      default: '0.0.0.0',
      deprecated: fromDefault,
    }),
    novncproxy_port: portOpt({
      help: 'Port nova-novncproxy listens on.',
      default: 6080,
      deprecated: fromDefault,
    }),
    keymap: strOpt({
      help: 'Keyboard layout passed to the VNC server; unset lets the client decide (recommended).',
      deprecated: [{ group: 'DEFAULT', name: 'vnc_keymap' }],
    }),
    auth_schemes: listOpt({
      help: 'Authentication between proxy and VNC servers, most preferred first: none, vencrypt.',
      default: ['none'],
      itemChoices: ['none', 'vencrypt'],
    }),
    vencrypt_client_key: pathOpt({ help: 'Client key the proxy presents for VeNCrypt.' }),
    vencrypt_client_cert: pathOpt({ help: 'Client certificate the proxy presents for VeNCrypt.' }),
    vencrypt_ca_certs: pathOpt({ help: 'CA bundle to verify VNC servers with VeNCrypt.' }),
  },
);

export const serialConsoleGroup = defineGroup(
  'serial_console',
  'Serial consoles',
  'Interactive serial consoles over websockets, proxied by nova-serialproxy.',
  {
    enabled: boolOpt({ help: 'Give instances serial consoles.', default: false }),
    port_range: strOpt({
      help: 'Host TCP ports (min:max) serial consoles are exposed on.',
      default: '10000:20000',
      pattern: /^\d+:\d+$/,
    }),
    base_url: uriOpt({
      help: 'Public websocket URL of the serial proxy handed to users.',
      default: 'ws://127.0.0.1:6083/',
    }),
    proxyclient_address: hostAddressOpt({
      help: 'Address the serial proxy uses to reach consoles on this compute host.',
      default: '127.0.0.1',
    }),
    serialproxy_host: hostAddressOpt({ help: 'Address nova-serialproxy listens on.', default: '0.0.0.0' }),
    serialproxy_port: portOpt({ help: 'Port nova-serialproxy listens on.', default: 6083 }),
  },
);

export const spiceGroup = defineGroup('spice', 'SPICE consoles', 'Graphical consoles over SPICE.', {
  enabled: boolOpt({ help: 'Give instances a SPICE console.', default: false }),
  agent_enabled: boolOpt({ help: 'Enable the SPICE guest agent.', default: true }),
  html5proxy_base_url: uriOpt({
    help: 'Public URL of the SPICE HTML5 client page.',
    default: 'http://127.0.0.1:6082/spice_auto.html',
  }),
  html5proxy_host: hostAddressOpt({ help: 'Address the SPICE proxy listens on.', default: '0.0.0.0' }),
  html5proxy_port: portOpt({ help: 'Port the SPICE proxy listens on.', default: 6082 }),
  server_listen: strOpt({ help: 'Address SPICE servers of instances listen on.', default: '127.0.0.1' }),
  server_proxyclient_address: strOpt({
    help: 'Address the proxy uses to reach SPICE servers.',
    default: '127.0.0.1',
  }),
  require_secure: boolOpt({ help: 'Require TLS for SPICE connections.', default: false }),
});

export const mksGroup = defineGroup(
  'mks',
  'WebMKS consoles',
  'VMware WebMKS consoles (not provided by nova-ts drivers).',
  {
    enabled: boolOpt({ help: 'Give instances a WebMKS console.', default: false }),
    mksproxy_base_url: uriOpt({
      help: 'Public URL of the WebMKS proxy.',
      default: 'http://127.0.0.1:6090/',
      schemes: ['http', 'https'],
    }),
  },
);

export const consoleauthGroup = defineGroup('consoleauth', 'Console tokens', 'Console access tokens.', {
  token_ttl: intOpt({
    help: 'Seconds a console access token stays valid.',
    default: 600,
    min: 0,
    deprecated: [{ group: 'DEFAULT', name: 'console_token_ttl' }],
  }),
  enforce_session_timeout: boolOpt({
    help: 'Close console sessions when their token expires.',
    default: false,
  }),
});

export const consoleGroup = defineGroup(
  'console',
  'Console proxies',
  'Settings shared by the console proxies.',
  {
    allowed_origins: listOpt({
      help: 'Origins besides the proxy host allowed to open console websockets.',
      default: [],
      deprecated: [{ group: 'DEFAULT', name: 'console_allowed_origins' }],
    }),
    ssl_ciphers: strOpt({ help: 'OpenSSL cipher list for TLS between proxy and consoles.' }),
    ssl_minimum_version: strOpt({
      help: 'Oldest TLS version the proxies accept: default, tlsv1_1, tlsv1_2 or tlsv1_3.',
      default: 'default',
      choices: ['default', 'tlsv1_1', 'tlsv1_2', 'tlsv1_3'],
    }),
  },
);
