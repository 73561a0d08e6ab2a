// The security groups of servers as upstream shows them: the names of the groups of each server's
// ports, read from the network service with the caller's token (ports by device_id, then the
// groups by id, 100 at a time). Servers without ports keep the default; a network service that
// does not answer leaves every server at the default rather than failing the server view.
import type { AuthContext } from '../../auth/types.ts';
import type { Logger } from '../../common/log.ts';
import type { NovaConf } from '../../config/index.ts';
import type { Json } from '../../network-client/client.ts';
import { callerNetworkClient } from '../../network-client/endpoint.ts';
import type { SecurityGroupSource } from './extras.ts';

const chunks = <T>(xs: readonly T[], n: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

export function networkSecurityGroups(
  conf: NovaConf,
  auth: AuthContext,
  log?: Logger,
): SecurityGroupSource | undefined {
  const client = callerNetworkClient(conf, auth);
  if (!client) return undefined;
  return async (uuids) => {
    const out = new Map<string, string[]>();
    try {
      const ports: Json[] = [];
      for (const c of chunks(uuids, 100))
        ports.push(...(await client.listPorts({ device_id: c, fields: ['device_id', 'security_groups'] })));
      const ids = [...new Set(ports.flatMap((p) => (p.security_groups as string[] | undefined) ?? []))];
      const names = new Map<string, string>();
      for (const c of chunks(ids, 100))
        for (const g of await client.listSecurityGroups({ id: c, fields: ['id', 'name'] }))
          names.set(String(g.id), String(g.name));
      for (const p of ports) {
        const list = out.get(String(p.device_id)) ?? [];
        for (const id of (p.security_groups as string[] | undefined) ?? []) {
          const name = names.get(id) ?? id;
          if (!list.includes(name)) list.push(name);
        }
        out.set(String(p.device_id), list);
      }
    } catch (err) {
      log?.warn({ err }, 'could not read the servers security groups from the network service');
      return new Map();
    }
    return out;
  };
}
