// An in-process placement client over the same app (upstream placement/direct.py): requests go
// through app.inject() with a token, so in-process callers still speak the HTTP API.
import type { FastifyInstance } from 'fastify';

export interface DirectResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  /** Parsed JSON body, or undefined when empty. */
  readonly body: unknown;
}

export interface DirectOptions {
  /** X-Auth-Token sent with every request (a service token; 'admin' under noauth2). */
  readonly token: string | (() => Promise<string>);
  /** OpenStack-API-Version placement microversion (default 'latest'). */
  readonly microversion?: string;
}

export interface PlacementDirect {
  request(method: string, url: string, body?: unknown, microversion?: string): Promise<DirectResponse>;
  get(url: string, microversion?: string): Promise<DirectResponse>;
  put(url: string, body?: unknown, microversion?: string): Promise<DirectResponse>;
  post(url: string, body: unknown, microversion?: string): Promise<DirectResponse>;
  delete(url: string, microversion?: string): Promise<DirectResponse>;
}

export function directPlacement(app: FastifyInstance, opts: DirectOptions): PlacementDirect {
  const token = typeof opts.token === 'string' ? async () => opts.token as string : opts.token;
  const request = async (method: string, url: string, body?: unknown, microversion?: string) => {
    const headers: Record<string, string> = {
      'x-auth-token': await token(),
      accept: 'application/json',
      'openstack-api-version': `placement ${microversion ?? opts.microversion ?? 'latest'}`,
    };
    let payload: string | undefined;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    const res = await app.inject({ method: method as 'GET', url, headers, payload });
    return {
      status: res.statusCode,
      headers: res.headers,
      body: res.body ? JSON.parse(res.body) : undefined,
    };
  };
  return {
    request,
    get: (url, mv) => request('GET', url, undefined, mv),
    put: (url, body, mv) => request('PUT', url, body, mv),
    post: (url, body, mv) => request('POST', url, body, mv),
    delete: (url, mv) => request('DELETE', url, undefined, mv),
  };
}
