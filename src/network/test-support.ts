// Test helpers: a network app over a migrated database with noauth2 tokens (`user:project`; user
// `admin` is an admin) and the real policy engine, plus small request helpers.
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { noauth2Validator } from '../auth/noauth.ts';
import type { TokenValidator } from '../auth/types.ts';
import { silentLogger } from '../common/log.ts';
import { loadConfig } from '../config/index.ts';
import type { Database } from '../db/connect.ts';
import type { NetworkDb } from '../db/tables/network-db.ts';
import { createEnforcer } from '../policy/engine.ts';
import type { AgentRegistry } from './agents.ts';
import { createNetworkApp } from './app.ts';
import type { NovaEvent, NovaNotifier } from './nova-notifier.ts';
import { NETWORK_POLICY_DEFAULTS } from './policy.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in tests
export type Json = Record<string, any>;

export const auth = (token: string) => ({ 'x-auth-token': token });
export const ALICE = auth('alice:p1');
export const BOB = auth('bob:p2');
export const ADMIN = auth('admin:adm');

export interface TestNetworkService {
  readonly app: FastifyInstance;
  /** A request; returns the response. */
  req(
    method: string,
    url: string,
    headers?: Record<string, string>,
    payload?: unknown,
  ): Promise<LightMyRequestResponse>;
  /** A request that must answer `status`; returns the parsed body (undefined for 204). */
  ok<T = Json>(
    method: string,
    url: string,
    status: number,
    headers?: Record<string, string>,
    payload?: unknown,
  ): Promise<T>;
  /** A request that must fail with `status` and Neutron `type`; returns the error message. */
  fails(
    method: string,
    url: string,
    status: number,
    type: string,
    headers?: Record<string, string>,
    payload?: unknown,
  ): Promise<string>;
  close(): Promise<void>;
}

/** `db` must have the network schema migrated (testDialects().open(['network'])). */
export async function testNetworkService(
  db: Database<NetworkDb>,
  opts: { readonly nova?: NovaNotifier; readonly agents?: AgentRegistry } = {},
): Promise<TestNetworkService> {
  const conf = loadConfig({
    env: {},
    hostFacts: { hostname: 'node1', myIp: '127.0.0.1' },
    overrides: [],
  }).conf;
  const enforcer = createEnforcer({
    defaults: NETWORK_POLICY_DEFAULTS,
    enforceScope: false,
    enforceNewDefaults: true,
  });
  const noauth = noauth2Validator();
  // noauth2 tokens; the user `nova` also has the service role (Nova binding ports).
  const validator: TokenValidator = {
    async validate(token) {
      const a = await noauth.validate(token);
      return a.user_id === 'nova' ? { ...a, roles: [...a.roles, 'service'] } : a;
    },
  };
  const app = createNetworkApp({ conf, log: silentLogger(), db, enforcer, validator, ...opts });
  await app.ready();
  const req = (method: string, url: string, headers: Record<string, string> = ALICE, payload?: unknown) =>
    app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  return {
    app,
    req,
    async ok(method, url, status, headers = ALICE, payload) {
      const res = await req(method, url, headers, payload);
      assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
      return (res.body === '' ? undefined : res.json()) as never;
    },
    async fails(method, url, status, type, headers = ALICE, payload) {
      const res = await req(method, url, headers, payload);
      assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
      const body = res.json() as { NeutronError: { type: string; message: string; detail: string } };
      assert.equal(body.NeutronError.type, type, res.body);
      assert.equal(body.NeutronError.detail, '');
      return body.NeutronError.message;
    },
    close: () => app.close(),
  };
}

/** A Nova notifier that records what it is told. */
export function recordingNova(): NovaNotifier & { readonly events: NovaEvent[] } {
  const events: NovaEvent[] = [];
  return { events, notify: (e) => void events.push(...e) };
}
