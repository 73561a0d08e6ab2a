// Nova's network client (what nova/network/neutron.py's neutronclient calls are): the Neutron v2.0
// calls a compute needs — networks, subnets, ports, floating IPs and the auto-allocated topology —
// against the embedded network service or any Neutron. Errors keep Neutron's type and status.
import { Fault } from '../faults/fault.ts';

export type Json = Readonly<Record<string, unknown>>;

/** A non-2xx answer from the network service (Neutron's NeutronError type kept), or none at all. */
export class NetworkServiceError extends Fault {
  /** NeutronError.type ('PortNotFound', 'IpAddressGenerationFailure', …), or '' without one. */
  readonly type: string;
  readonly httpStatus: number | undefined;
  constructor(message: string, type: string, httpStatus?: number) {
    super(message, httpStatus && httpStatus < 500 ? httpStatus : 503, 'nova.network_service_error');
    this.type = type;
    this.httpStatus = httpStatus;
  }
}

export interface NetworkClientOptions {
  /** The network API base URL (with or without /v2.0). */
  readonly endpoint: string | (() => Promise<string>);
  /** A service or the caller's token (X-Auth-Token). */
  readonly token: string | (() => string | Promise<string>);
  readonly fetch?: typeof fetch;
}

type Filters = Readonly<Record<string, string | readonly string[]>>;

function query(filters: Filters): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters))
    for (const x of typeof v === 'string' ? [v] : v) p.append(k, x);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export class NetworkClient {
  readonly #opts: NetworkClientOptions;

  constructor(opts: NetworkClientOptions) {
    this.#opts = opts;
  }

  async #base(): Promise<string> {
    const e = this.#opts.endpoint;
    const url = typeof e === 'string' ? e : await e();
    return `${url.replace(/\/+$/, '').replace(/\/v2\.0$/, '')}/v2.0`;
  }

  async #call<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
    const t = this.#opts.token;
    const token = typeof t === 'string' ? t : await t();
    const doFetch = this.#opts.fetch ?? fetch;
    let res: Response;
    try {
      res = await doFetch(`${await this.#base()}${path}`, {
        method,
        headers: {
          'x-auth-token': token,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new NetworkServiceError(`The network service did not answer: ${(err as Error).message}`, '');
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    if (!res.ok) {
      let type = '';
      let message = text;
      try {
        const e = (JSON.parse(text) as { NeutronError?: { type?: string; message?: string } }).NeutronError;
        type = e?.type ?? '';
        message = e?.message ?? text;
      } catch {}
      throw new NetworkServiceError(message || `${method} ${path}: ${res.status}`, type, res.status);
    }
    return JSON.parse(text) as T;
  }

  async listNetworks(filters: Filters = {}): Promise<Json[]> {
    return (await this.#call<{ networks: Json[] }>('GET', `/networks${query(filters)}`)).networks;
  }
  async showNetwork(id: string): Promise<Json> {
    return (await this.#call<{ network: Json }>('GET', `/networks/${encodeURIComponent(id)}`)).network;
  }
  async listSubnets(filters: Filters = {}): Promise<Json[]> {
    return (await this.#call<{ subnets: Json[] }>('GET', `/subnets${query(filters)}`)).subnets;
  }
  async listPorts(filters: Filters = {}): Promise<Json[]> {
    return (await this.#call<{ ports: Json[] }>('GET', `/ports${query(filters)}`)).ports;
  }
  async showPort(id: string): Promise<Json> {
    return (await this.#call<{ port: Json }>('GET', `/ports/${encodeURIComponent(id)}`)).port;
  }
  async createPort(port: Json): Promise<Json> {
    return (await this.#call<{ port: Json }>('POST', '/ports', { port })).port;
  }
  async updatePort(id: string, port: Json): Promise<Json> {
    return (await this.#call<{ port: Json }>('PUT', `/ports/${encodeURIComponent(id)}`, { port })).port;
  }
  async deletePort(id: string): Promise<void> {
    await this.#call('DELETE', `/ports/${encodeURIComponent(id)}`);
  }
  async listSecurityGroups(filters: Filters = {}): Promise<Json[]> {
    return (await this.#call<{ security_groups: Json[] }>('GET', `/security-groups${query(filters)}`))
      .security_groups;
  }
  async showSecurityGroup(id: string): Promise<Json> {
    return (await this.#call<{ security_group: Json }>('GET', `/security-groups/${encodeURIComponent(id)}`))
      .security_group;
  }
  async createSecurityGroup(group: Json): Promise<Json> {
    return (await this.#call<{ security_group: Json }>('POST', '/security-groups', { security_group: group }))
      .security_group;
  }
  async updateSecurityGroup(id: string, group: Json): Promise<Json> {
    const path = `/security-groups/${encodeURIComponent(id)}`;
    return (await this.#call<{ security_group: Json }>('PUT', path, { security_group: group }))
      .security_group;
  }
  async deleteSecurityGroup(id: string): Promise<void> {
    await this.#call('DELETE', `/security-groups/${encodeURIComponent(id)}`);
  }
  async showSecurityGroupRule(id: string): Promise<Json> {
    const path = `/security-group-rules/${encodeURIComponent(id)}`;
    return (await this.#call<{ security_group_rule: Json }>('GET', path)).security_group_rule;
  }
  async createSecurityGroupRule(rule: Json): Promise<Json> {
    const body = { security_group_rule: rule };
    return (await this.#call<{ security_group_rule: Json }>('POST', '/security-group-rules', body))
      .security_group_rule;
  }
  async deleteSecurityGroupRule(id: string): Promise<void> {
    await this.#call('DELETE', `/security-group-rules/${encodeURIComponent(id)}`);
  }
  async listRouters(filters: Filters = {}): Promise<Json[]> {
    return (await this.#call<{ routers: Json[] }>('GET', `/routers${query(filters)}`)).routers;
  }
  async listFloatingIps(filters: Filters = {}): Promise<Json[]> {
    return (await this.#call<{ floatingips: Json[] }>('GET', `/floatingips${query(filters)}`)).floatingips;
  }
  async showFloatingIp(id: string): Promise<Json> {
    return (await this.#call<{ floatingip: Json }>('GET', `/floatingips/${encodeURIComponent(id)}`))
      .floatingip;
  }
  async createFloatingIp(floatingip: Json): Promise<Json> {
    return (await this.#call<{ floatingip: Json }>('POST', '/floatingips', { floatingip })).floatingip;
  }
  async updateFloatingIp(id: string, floatingip: Json): Promise<Json> {
    return (
      await this.#call<{ floatingip: Json }>('PUT', `/floatingips/${encodeURIComponent(id)}`, { floatingip })
    ).floatingip;
  }
  async deleteFloatingIp(id: string): Promise<void> {
    await this.#call('DELETE', `/floatingips/${encodeURIComponent(id)}`);
  }
  /** The project's auto-allocated network id (made on first request). */
  async autoAllocatedNetwork(projectId: string): Promise<string> {
    const r = await this.#call<{ auto_allocated_topology: { id: string } }>(
      'GET',
      `/auto-allocated-topology/${encodeURIComponent(projectId)}`,
    );
    return r.auto_allocated_topology.id;
  }
}
