import { startNovncProxy } from '../console/proxies.ts';
import { runConsoleProxy } from './console-proxy.ts';

export const run = (argv: readonly string[]) =>
  runConsoleProxy(
    argv,
    'nova-novncproxy',
    'nova-novncproxy: the noVNC console proxy and pages (/vnc_auto.html, /vnc_lite.html) on [vnc] novncproxy_host:novncproxy_port (6080).',
    startNovncProxy,
  );
