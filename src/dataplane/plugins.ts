// The data plane agent's plug-ins: what the network service says, turned into the desired state of
// the security group filters (security-groups.ts) and of the routers (l3.ts) on this host.
import { createHash } from 'node:crypto';
import type { Json } from '../network-client/client.ts';
import type { DataplanePlugin, NetworkSnapshot } from './agent.ts';
import { portTap } from './ip-command.ts';
import { type RouterPort, type RouterState, removeAllRouters, syncRouters } from './l3.ts';
import { bridgeName, SG_TABLE } from './names.ts';
import {
  applySecurityGroups,
  type PortFilter,
  removeSecurityGroups,
  type SgRule,
} from './security-groups.ts';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
type FixedIp = { ip_address: string; subnet_id: string };
const fixedIps = (p: Json): FixedIp[] => (p.fixed_ips as FixedIp[] | undefined) ?? [];
const groupsOf = (p: Json): string[] => (p.security_groups as string[] | undefined) ?? [];

/** The nftables table name of the agent whose state lives in stateDir (one per agent on a host). */
export const sgTableFor = (stateDir: string): string =>
  `${SG_TABLE}_${createHash('sha256').update(stateDir).digest('hex').slice(0, 8)}`;

/** Security groups: one filter per guest port of this host; ports of other hosts fill remote groups. */
export function securityGroupPlugin(table: string = SG_TABLE): DataplanePlugin {
  return {
    name: 'security-groups',
    async sync(s: NetworkSnapshot) {
      const groups = new Map((await s.client.listSecurityGroups({})).map((g) => [str(g.id), g]));
      const members: Record<string, string[]> = {};
      for (const p of s.ports)
        for (const g of groupsOf(p))
          members[g] = [...(members[g] ?? []), ...fixedIps(p).map((f) => f.ip_address)];
      const filters: PortFilter[] = [];
      for (const p of s.localPorts) {
        const tap = portTap(str(p.id));
        if (tap === null) continue; // the guest is not running here (yet)
        const rules = groupsOf(p).flatMap(
          (g) => (groups.get(g)?.security_group_rules as SgRule[] | undefined) ?? [],
        );
        filters.push({
          tap,
          mac: str(p.mac_address),
          fixedIps: fixedIps(p).map((f) => f.ip_address),
          allowedAddressPairs: (p.allowed_address_pairs as PortFilter['allowedAddressPairs']) ?? [],
          portSecurity: p.port_security_enabled !== false,
          rules,
          groupMembers: members,
        });
      }
      await applySecurityGroups(filters, undefined, table);
    },
    teardown: () => removeSecurityGroups(undefined, table),
  };
}

/**
 * Routers: this host is the network node of every router (the all-in-one's topology). It removes
 * only router namespaces of routers it has served (another cloud on the host keeps its own).
 */
export function routerPlugin(): DataplanePlugin {
  const served = new Set<string>();
  const manages = (id: string) => served.has(id);
  return {
    name: 'routers',
    async sync(s: NetworkSnapshot) {
      const routers = await s.client.listRouters({});
      for (const r of routers) served.add(str(r.id));
      if (routers.length === 0) {
        await syncRouters([], { manages });
        return;
      }
      const subnets = new Map((await s.client.listSubnets({})).map((x) => [str(x.id), x]));
      const fips = await s.client.listFloatingIps({});
      const portOf = (p: Json): RouterPort => ({
        portId: str(p.id),
        mac: str(p.mac_address),
        bridge: bridgeName(str(p.network_id)),
        cidrs: fixedIps(p).map(
          (f) => `${f.ip_address}/${str(subnets.get(f.subnet_id)?.cidr).split('/')[1] ?? '32'}`,
        ),
      });
      const states: RouterState[] = routers.map((r) => {
        const mine = s.ports.filter((p) => str(p.device_id) === str(r.id));
        const gw = mine.find((p) => str(p.device_owner) === 'network:router_gateway');
        const info = (r.external_gateway_info ?? null) as { enable_snat?: boolean } | null;
        const gwSubnet = gw ? subnets.get(fixedIps(gw)[0]?.subnet_id ?? '') : undefined;
        return {
          id: str(r.id),
          interfaces: mine.filter((p) => str(p.device_owner) === 'network:router_interface').map(portOf),
          gateway: gw
            ? {
                ...portOf(gw),
                gatewayIp: str(gwSubnet?.gateway_ip) || null,
                enableSnat: info?.enable_snat !== false,
              }
            : null,
          floatingIps: fips
            .filter((f) => str(f.router_id) === str(r.id) && f.port_id && f.fixed_ip_address)
            .map((f) => ({ floating: str(f.floating_ip_address), fixed: str(f.fixed_ip_address) })),
        };
      });
      await syncRouters(states, { manages });
    },
    teardown: () => removeAllRouters({ manages }),
  };
}
