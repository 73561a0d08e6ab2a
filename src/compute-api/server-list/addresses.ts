// A server's IP addresses from its network info cache: upstream's network model (VIF → network
// {label, subnets[{ips[{address, version, type, floating_ips[…]}]}]}) and the flat form the fake
// driver keeps (fixed_ips: ["10.0.0.3"]). Used by the `ip`/`ip6` filters and the addresses view.
import { isIP } from 'node:net';
import type { Vif } from '../../objects/instance.ts';

export interface VifAddress {
  readonly label: string;
  readonly address: string;
  readonly version: 4 | 6;
  readonly type: 'fixed' | 'floating';
  readonly mac: string;
}

type Obj = Readonly<Record<string, unknown>>;
const obj = (v: unknown): Obj | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function versionOf(ip: Obj, subnet: Obj | undefined, address: string): 4 | 6 {
  const v = Number(ip.version ?? subnet?.version);
  if (v === 4 || v === 6) return v;
  return isIP(address) === 6 ? 6 : 4;
}

/** Every fixed address of one VIF, then the floating addresses of those, in cache order. */
export function vifAddresses(vif: Vif): VifAddress[] {
  const network = obj(vif.network);
  const label = str(network?.label) || str(network?.id) || str(vif.network_id);
  const mac = str(vif.address);
  const fixed: VifAddress[] = [];
  const floating: VifAddress[] = [];
  if (network) {
    for (const s of list(network.subnets)) {
      const subnet = obj(s);
      for (const i of list(subnet?.ips)) {
        const ip = obj(i);
        const address = str(ip?.address);
        if (!ip || !address) continue;
        fixed.push({ label, address, version: versionOf(ip, subnet, address), type: 'fixed', mac });
        for (const f of list(ip.floating_ips)) {
          const fip = obj(f);
          const fa = str(fip?.address);
          if (fip && fa)
            floating.push({
              label,
              address: fa,
              version: versionOf(fip, undefined, fa),
              type: 'floating',
              mac,
            });
        }
      }
    }
  } else {
    for (const a of list(vif.fixed_ips)) {
      const address = typeof a === 'string' ? a : str(obj(a)?.address);
      if (address) fixed.push({ label, address, version: isIP(address) === 6 ? 6 : 4, type: 'fixed', mac });
    }
  }
  return [...fixed, ...floating];
}

/** All addresses of a server, VIF by VIF. */
export function addressesOf(networkInfo: readonly Vif[]): VifAddress[] {
  return networkInfo.flatMap(vifAddresses);
}
