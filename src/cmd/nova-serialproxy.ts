import { startSerialProxy } from '../console/proxies.ts';
import { runConsoleProxy } from './console-proxy.ts';

export const run = (argv: readonly string[]) =>
  runConsoleProxy(
    argv,
    'nova-serialproxy',
    'nova-serialproxy: the serial console websocket proxy on [serial_console] serialproxy_host:serialproxy_port (6083).',
    startSerialProxy,
  );
