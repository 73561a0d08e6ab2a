// network_data.json from an instance's network info cache (upstream's VIF → network → subnets →
// ips model), in upstream's format: one link per VIF with an address, one network per first IPv4
// and first IPv6 subnet with addresses (static, or ipv4_dhcp / ipv6_dhcp), the DNS servers as
// services. Also the fixed and floating addresses the EC2 tree shows.
import { isIPv4 } from 'node:net';

type J = Readonly<Record<string, unknown>>;

/** VIF types shown as themselves; any other is a physical link ("phy"), as upstream. */
const EXPOSED_VIF_TYPES = new Set(['bridge', 'dvs', 'hw_veb', 'hyperv', 'ovs', 'tap', 'vhostuser', 'vif']);
/** Upstream's longest interface name (tap + the start of the port id). */
const NIC_NAME_LEN = 14;

const obj = (v: unknown): J => (v && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {});
const arr = (v: unknown): J[] => (Array.isArray(v) ? (v as J[]).map(obj) : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export interface NetworkData {
  readonly links: Record<string, unknown>[];
  readonly networks: Record<string, unknown>[];
  readonly services: { type: string; address: string }[];
}

/** Dotted netmask of an IPv4 prefix length. */
function v4Mask(prefix: number): string {
  const bits = prefix <= 0 ? 0 : (0xffffffff << (32 - Math.min(prefix, 32))) >>> 0;
  return [24, 16, 8, 0].map((s) => (bits >>> s) & 0xff).join('.');
}

/** Compressed IPv6 netmask of a prefix length (ffff:ffff:ffff:ffff:: for /64). */
function v6Mask(prefix: number): string {
  const groups = Array.from({ length: 8 }, (_, i) => {
    const bits = Math.max(0, Math.min(16, prefix - i * 16));
    return bits === 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
  });
  const full = groups.indexOf(0);
  if (full === -1) return groups.map((g) => g.toString(16)).join(':');
  const head = groups.slice(0, full).map((g) => g.toString(16));
  return `${head.join(':')}::`;
}

const prefixOf = (cidr: string): number => Number(cidr.split('/')[1] ?? (cidr.includes(':') ? 128 : 32));
const networkOf = (cidr: string): string => cidr.split('/')[0] ?? cidr;
const maskOf = (cidr: string, version: number) =>
  version === 4 ? v4Mask(prefixOf(cidr)) : v6Mask(prefixOf(cidr));

const firstSubnet = (subnets: J[], version: number) => subnets.find((s) => Number(s.version) === version);

const dnsServices = (subnet: J) =>
  arr(subnet.dns)
    .map((d) => str(d.address))
    .filter((a): a is string => a !== null)
    .map((address) => ({ type: 'dns', address }));

function linkOf(vif: J, n: number): Record<string, unknown> {
  const network = obj(vif.network);
  const id = str(vif.id);
  const name = str(vif.devname) ?? (id ? `tap${id}`.slice(0, NIC_NAME_LEN) : `interface${n}`);
  const type = str(vif.type);
  const dhcpServer = arr(network.subnets).some((s) => str(obj(s.meta).dhcp_server));
  const mtu = obj(network.meta).mtu;
  return {
    id: name,
    vif_id: vif.id ?? null,
    type: type && EXPOSED_VIF_TYPES.has(type) ? type : 'phy',
    mtu: dhcpServer ? null : (mtu ?? null),
    ethernet_mac_address: vif.address ?? null,
  };
}

function defaultRoute(subnet: J, version: number) {
  const gw = str(obj(subnet.gateway).address);
  if (!gw) return [];
  const any = version === 4 ? '0.0.0.0' : '::';
  return [{ network: any, netmask: any, gateway: gw }];
}

function networkEntry(vif: J, subnet: J, version: number, n: number, link: string) {
  const meta = obj(subnet.meta);
  const networkId = obj(vif.network).id ?? null;
  const mode = str(meta.ipv6_address_mode);
  if (!mode && (str(meta.dhcp_server) || meta.enable_dhcp === true))
    return { id: `network${n}`, type: `ipv${version}_dhcp`, link, network_id: networkId };
  const ip = arr(subnet.ips)[0] ?? {};
  const cidr = String(subnet.cidr ?? '');
  const routes = [
    ...defaultRoute(subnet, version),
    ...arr(subnet.routes).map((r) => ({
      network: networkOf(String(r.cidr ?? '')),
      netmask: maskOf(String(r.cidr ?? ''), version),
      gateway: str(obj(r.gateway).address),
    })),
  ];
  return {
    id: `network${n}`,
    type: `ipv${version}${mode ? `_${mode}` : ''}`,
    link,
    ip_address: ip.address ?? null,
    netmask: maskOf(cidr, version),
    routes,
    network_id: networkId,
    services: dnsServices(subnet),
  };
}

/** network_data.json of a network info cache; undefined when it has no VIF with a subnet. */
export function networkData(vifs: readonly J[]): NetworkData | undefined {
  if (vifs.length === 0) return undefined;
  const out: NetworkData = { links: [], networks: [], services: [] };
  const addService = (s: { type: string; address: string }) => {
    if (!out.services.some((x) => x.type === s.type && x.address === s.address)) out.services.push(s);
  };
  let ifc = -1;
  let net = -1;
  for (const vif of vifs) {
    const subnets = arr(obj(vif.network).subnets);
    if (subnets.length === 0) continue;
    ifc += 1;
    const v4 = firstSubnet(subnets, 4);
    const v6 = firstSubnet(subnets, 6);
    if (!v4 && !v6) continue;
    const link = linkOf(vif, ifc);
    out.links.push(link);
    for (const [subnet, version] of [
      [v4, 4],
      [v6, 6],
    ] as const) {
      if (!subnet || arr(subnet.ips).length === 0) continue;
      net += 1;
      out.networks.push(networkEntry(vif, subnet, version, net, String(link.id)));
      for (const s of dnsServices(subnet)) addService(s);
    }
  }
  return out;
}

/** Every fixed address of the cache, with its floating addresses. */
export function fixedIps(vifs: readonly J[]): { address: string; floating: string[] }[] {
  return vifs.flatMap((vif) =>
    arr(obj(vif.network).subnets).flatMap((s) =>
      arr(s.ips)
        .filter((ip) => str(ip.address) && (ip.type === undefined || ip.type === 'fixed'))
        .map((ip) => ({
          address: String(ip.address),
          floating: arr(ip.floating_ips)
            .map((f) => str(f.address))
            .filter((a): a is string => a !== null),
        })),
    ),
  );
}

/** The IPv4 fixed and floating addresses (EC2 local-ipv4 / public-ipv4). */
export function ec2IpInfo(vifs: readonly J[]): { fixed_ips: string[]; floating_ips: string[] } {
  const fixed = fixedIps(vifs);
  return {
    fixed_ips: fixed.map((f) => f.address).filter((a) => isIPv4(a)),
    floating_ips: fixed.flatMap((f) => f.floating),
  };
}
