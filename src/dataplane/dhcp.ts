// DHCP for a network, as Neutron's DHCP agent does it: a namespace `qdhcp-<network>` holding the
// DHCP port (a veth whose peer is on the network's bridge) with its addresses, a dnsmasq that hands
// out only static leases (each port's MAC → its fixed IP, so a guest always gets the address the
// network service gave its port), and the metadata address 169.254.169.254 with a small proxy
// towards nova-ts's metadata service. Guests get a route to it (DHCP option 121).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../common/log.ts';
import {
  deleteLink,
  deleteNetns,
  ensureBridge,
  ensureNetns,
  ensureVethIntoNetns,
  inNetns,
  run,
} from './ip-command.ts';
import { bridgeName, dhcpNamespace, METADATA_ADDRESS, nsDeviceName, tapName } from './names.ts';

export interface DhcpSubnet {
  readonly id: string;
  readonly cidr: string;
  readonly gatewayIp: string | null;
  readonly dnsNameservers: readonly string[];
  readonly hostRoutes: readonly { readonly destination: string; readonly nexthop: string }[];
}

export interface DhcpHost {
  readonly mac: string;
  readonly ip: string;
  readonly hostname: string;
}

export interface DhcpNetwork {
  readonly networkId: string;
  readonly mtu: number | null;
  /** The DHCP port: its id, MAC and addresses (one per DHCP subnet, with the subnet's prefix). */
  readonly port: {
    readonly id: string;
    readonly mac: string;
    readonly ips: readonly { ip: string; prefix: number }[];
  };
  readonly subnets: readonly DhcpSubnet[];
  readonly hosts: readonly DhcpHost[];
}

export interface DhcpOptions {
  /** Where dnsmasq's files live: <dir>/<network id>/. */
  readonly dir: string;
  /** Unix socket of the metadata relay (root namespace); absent: no metadata proxy. */
  readonly metadataSocket?: string;
  readonly log?: Logger;
}

const PROXY_SCRIPT = fileURLToPath(new URL('./ns-metadata-proxy.ts', import.meta.url));

const prefixOf = (cidr: string): number => Number(cidr.split('/')[1] ?? 32);

function netmask(prefix: number): string {
  const m = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (m >>> s) & 255).join('.');
}

/** dnsmasq's configuration for the network (pure; tested). */
export function dnsmasqFiles(n: DhcpNetwork): { hosts: string; opts: string; args: string[] } {
  const v4 = n.subnets.filter((s) => !s.cidr.includes(':'));
  const hosts = n.hosts.map((h) => `${h.mac},${h.hostname},${h.ip}`).join('\n');
  const opts: string[] = [];
  v4.forEach((s, i) => {
    const tag = `tag:subnet${i}`;
    const dhcpIp = n.port.ips.find((a) => sameSubnet(a.ip, s.cidr))?.ip;
    const routes: string[] = [];
    if (dhcpIp) routes.push(`${METADATA_ADDRESS}/32`, dhcpIp);
    for (const r of s.hostRoutes) routes.push(r.destination, r.nexthop);
    if (s.gatewayIp) {
      routes.push('0.0.0.0/0', s.gatewayIp);
      opts.push(`${tag},option:router,${s.gatewayIp}`);
    } else opts.push(`${tag},option:router`);
    if (routes.length > 0) opts.push(`${tag},option:classless-static-route,${routes.join(',')}`);
    if (s.dnsNameservers.length > 0) opts.push(`${tag},option:dns-server,${s.dnsNameservers.join(',')}`);
    if (n.mtu) opts.push(`${tag},option:mtu,${n.mtu}`);
  });
  const args = [
    '--no-hosts',
    '--no-resolv',
    '--port=0',
    '--bind-interfaces',
    `--interface=${nsDeviceName(n.port.id)}`,
    '--except-interface=lo',
    '--dhcp-authoritative',
    '--leasefile-ro',
    '--conf-file=/dev/null',
    // dnsmasq re-reads its hosts and options files on SIGHUP; they live under the state path,
    // which need not be readable by the unprivileged user dnsmasq would switch to.
    '--user=root',
    ...v4.map(
      (s, i) =>
        `--dhcp-range=set:subnet${i},${s.cidr.split('/')[0]},static,${netmask(prefixOf(s.cidr))},86400s`,
    ),
  ];
  return { hosts: `${hosts}\n`, opts: `${opts.join('\n')}\n`, args };
}

function toInt(ip: string): number {
  return ip.split('.').reduce((a, b) => (a << 8) + Number(b), 0) >>> 0;
}

export function sameSubnet(ip: string, cidr: string): boolean {
  if (ip.includes(':') || cidr.includes(':')) return false;
  const [base = '', p = '32'] = cidr.split('/');
  const prefix = Number(p);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return (toInt(ip) & mask) === (toInt(base) & mask);
}

/** The DHCP side of one network on this host. */
export class DhcpServer {
  readonly networkId: string;
  readonly #o: DhcpOptions;
  #proxy: ChildProcess | null = null;
  #lastHosts = '';

  constructor(networkId: string, o: DhcpOptions) {
    this.networkId = networkId;
    this.#o = o;
  }

  get #dir(): string {
    return join(this.#o.dir, this.networkId);
  }

  /** Makes (or updates) the namespace, the port, dnsmasq and the metadata proxy. */
  async sync(n: DhcpNetwork): Promise<void> {
    const ns = dhcpNamespace(n.networkId);
    const bridge = bridgeName(n.networkId);
    const dev = nsDeviceName(n.port.id);
    await ensureBridge(bridge);
    await ensureNetns(ns);
    await ensureVethIntoNetns(tapName(n.port.id), dev, ns, bridge, n.port.mac);
    const want = [...n.port.ips.map((a) => `${a.ip}/${a.prefix}`), `${METADATA_ADDRESS}/32`];
    const have = await inNetns(ns, 'ip', '-o', 'addr', 'show', 'dev', dev).catch(() => '');
    for (const a of want)
      if (!have.includes(` ${a} `)) await inNetns(ns, 'ip', 'addr', 'add', a, 'dev', dev).catch(() => {});
    await mkdir(this.#dir, { recursive: true });
    const files = dnsmasqFiles(n);
    await writeFile(join(this.#dir, 'host'), files.hosts);
    await writeFile(join(this.#dir, 'opts'), files.opts);
    const pid = this.#dnsmasqPid();
    if (pid === undefined) await this.#startDnsmasq(ns, files.args);
    else if (files.hosts + files.opts !== this.#lastHosts) process.kill(pid, 'SIGHUP');
    this.#lastHosts = files.hosts + files.opts;
    if (
      this.#o.metadataSocket &&
      (this.#proxy === null || this.#proxy.exitCode !== null) &&
      !this.#proxyPids().length
    )
      this.#startProxy(ns);
  }

  #dnsmasqPid(): number | undefined {
    const f = join(this.#dir, 'pid');
    if (!existsSync(f)) return undefined;
    const pid = Number(readFileSync(f, 'utf8').trim());
    try {
      if (pid > 0 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dnsmasq')) return pid;
    } catch {}
    return undefined;
  }

  async #startDnsmasq(ns: string, args: readonly string[]): Promise<void> {
    await run('ip', [
      ...['netns', 'exec', ns, 'dnsmasq'],
      ...args,
      `--pid-file=${join(this.#dir, 'pid')}`,
      `--dhcp-hostsfile=${join(this.#dir, 'host')}`,
      `--dhcp-optsfile=${join(this.#dir, 'opts')}`,
      `--log-facility=${join(this.#dir, 'dnsmasq.log')}`,
      '--log-dhcp',
    ]);
  }

  #startProxy(ns: string): void {
    const child = spawn(
      'ip',
      [
        ...['netns', 'exec', ns, process.execPath, PROXY_SCRIPT],
        ...[
          '--socket',
          this.#o.metadataSocket ?? '',
          '--network',
          this.networkId,
          '--listen',
          METADATA_ADDRESS,
        ],
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (b: Buffer) =>
      this.#o.log?.warn({ network: this.networkId }, `metadata proxy: ${b}`),
    );
    this.#proxy = child;
  }

  /** Metadata proxies of this network still running (also from an earlier run of this agent). */
  #proxyPids(): number[] {
    const out: number[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
        if (cmd.includes('ns-metadata-proxy') && cmd.includes(`--network\0${this.networkId}\0`))
          out.push(Number(name));
      } catch {}
    }
    return out;
  }

  /** Stops dnsmasq and the proxy and removes the namespace, the veth and the files. */
  async destroy(portId?: string): Promise<void> {
    const pid = this.#dnsmasqPid();
    if (pid !== undefined) process.kill(pid, 'SIGTERM');
    this.#proxy?.kill('SIGTERM');
    this.#proxy = null;
    for (const p of this.#proxyPids())
      try {
        process.kill(p, 'SIGTERM');
      } catch {}
    await deleteNetns(dhcpNamespace(this.networkId));
    if (portId) await deleteLink(tapName(portId));
    await rm(this.#dir, { recursive: true, force: true });
  }
}
