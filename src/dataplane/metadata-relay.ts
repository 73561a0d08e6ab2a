// The root-namespace end of the metadata path: the proxies in the DHCP namespaces pass guests'
// requests here (a unix socket) with the guest's address and network; the relay finds the port
// with that address on that network, and asks nova-ts's metadata service for its instance with
// upstream's signed headers (X-Instance-ID, X-Tenant-ID, X-Instance-ID-Signature = HMAC-SHA256 of
// the instance id with [neutron] metadata_proxy_shared_secret) — Neutron's metadata agent.
import { createHmac } from 'node:crypto';
import { rmSync } from 'node:fs';
import http from 'node:http';
import type { Logger } from '../common/log.ts';
import type { NetworkClient } from '../network-client/client.ts';

export interface RelayOptions {
  readonly socketPath: string;
  /** The metadata service's base URL (http://127.0.0.1:8775). */
  readonly metadataUrl: string;
  readonly secret: string;
  readonly network: () => Promise<NetworkClient>;
  readonly log?: Logger;
}

export const signInstanceId = (secret: string, instanceId: string): string =>
  createHmac('sha256', secret).update(instanceId).digest('hex');

interface Owner {
  readonly instanceId: string;
  readonly tenantId: string;
}

async function ownerOf(network: NetworkClient, networkId: string, ip: string): Promise<Owner | undefined> {
  const ports = await network.listPorts({ network_id: networkId });
  for (const p of ports) {
    const ips = (p.fixed_ips as { ip_address: string }[] | undefined) ?? [];
    if (!ips.some((f) => f.ip_address === ip)) continue;
    const owner = String(p.device_owner ?? '');
    if (!owner.startsWith('compute:') || !p.device_id) return undefined;
    return { instanceId: String(p.device_id), tenantId: String(p.project_id ?? p.tenant_id ?? '') };
  }
  return undefined;
}

export function startMetadataRelay(o: RelayOptions): { stop(): Promise<void> } {
  rmSync(o.socketPath, { force: true });
  const server = http.createServer(async (req, res) => {
    const ip =
      String(req.headers['x-forwarded-for'] ?? '')
        .split(',')[0]
        ?.trim() ?? '';
    const networkId = String(req.headers['x-neutron-network-id'] ?? '');
    let owner: Owner | undefined;
    try {
      owner = ip && networkId ? await ownerOf(await o.network(), networkId, ip) : undefined;
    } catch (err) {
      o.log?.warn({ err }, 'metadata relay: the network service did not answer');
      res.writeHead(503, { 'content-type': 'text/plain' }).end('The network service is not reachable.\n');
      return;
    }
    if (owner === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('No instance has this address.\n');
      return;
    }
    const url = new URL(req.url ?? '/', o.metadataUrl);
    const up = http.request(
      url,
      {
        method: req.method,
        headers: {
          ...(req.headers['content-type'] ? { 'content-type': req.headers['content-type'] } : {}),
          'x-forwarded-for': ip,
          'x-instance-id': owner.instanceId,
          'x-tenant-id': owner.tenantId,
          'x-instance-id-signature': signInstanceId(o.secret, owner.instanceId),
        },
      },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.writeHead(502).end('The metadata service is not reachable.\n'));
    req.pipe(up);
  });
  server.listen(o.socketPath);
  return {
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
