// What the data plane's namespace tests need from the host (root, nft, ip and a ping), checked once,
// and a security group rule factory for the ruleset tests.
import { run } from './ip-command.ts';
import type { SgRule } from './security-groups.ts';

const has = (cmd: string, ...args: string[]) =>
  run(cmd, args).then(
    () => true,
    () => false,
  );

/** The ping command to run (iputils ping, else busybox's), null when neither works. */
export const pingCmd: readonly string[] | null = (await has('ping', '-c', '1', '-W', '1', '127.0.0.1'))
  ? ['ping']
  : (await has('busybox', 'ping', '-c', '1', '-W', '1', '127.0.0.1'))
    ? ['busybox', 'ping']
    : null;

/** Why the namespace tests cannot run here (a skip reason), or false. */
export const netnsSkip: string | false =
  process.getuid?.() !== 0
    ? 'not root'
    : !(await has('nft', '--version'))
      ? 'nft missing (Debian nftables)'
      : !(await has('ip', '-V'))
        ? 'ip missing (Debian iproute2)'
        : pingCmd === null
          ? 'no ping (iputils-ping or busybox)'
          : false;

/** An ingress IPv4 rule matching everything, with `r` on top. */
export const sgRule = (r: Partial<SgRule>): SgRule => ({
  direction: 'ingress',
  ethertype: 'IPv4',
  protocol: null,
  port_range_min: null,
  port_range_max: null,
  remote_ip_prefix: null,
  remote_group_id: null,
  ...r,
});
