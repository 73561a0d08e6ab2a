// A small gabbi-like runner: a JSON file lists requests and expectations, run in order against
// one placement app through inject(). Strings may use ${VAR}: uuids made per file (`uuids`), or
// values saved from earlier responses (`save`). Expectations:
//   status, json: {"$.a.b[0]": value | "/regex/"}, "len:$.x": n, "sorted:$.x": [...], strings,
//   headers: {name: value | "/regex/"}, absentHeaders, code (shortcut for $.errors[0].code).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export interface HttpCase {
  readonly name: string;
  readonly method?: string;
  readonly url: string;
  readonly microversion?: string;
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly status?: number;
  readonly json?: Readonly<Record<string, unknown>>;
  readonly strings?: readonly string[];
  readonly headersMatch?: Readonly<Record<string, string>>;
  readonly absentHeaders?: readonly string[];
  readonly code?: string;
  readonly save?: Readonly<Record<string, string>>;
}

export interface HttpFile {
  readonly description?: string;
  readonly uuids?: readonly string[];
  readonly defaults?: { readonly microversion?: string; readonly token?: string };
  readonly tests: readonly HttpCase[];
}

type Vars = Map<string, string>;

function subst(v: unknown, vars: Vars): unknown {
  if (typeof v === 'string') {
    const whole = /^\$\{(\w+)\}$/.exec(v);
    if (whole && vars.has(whole[1])) {
      const raw = vars.get(whole[1]) as string;
      return raw.startsWith('#num:') ? Number(raw.slice(5)) : raw;
    }
    return v.replace(/\$\{(\w+)\}/g, (m, k) =>
      vars.has(k) ? (vars.get(k) as string).replace(/^#num:/, '') : m,
    );
  }
  if (Array.isArray(v)) return v.map((x) => subst(x, vars));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [subst(k, vars) as string, subst(x, vars)]));
  return v;
}

/** "$.a.b[0].c" → value (undefined when missing). */
export function pick(data: unknown, path: string): unknown {
  const parts: string[] = path.replace(/^\$\.?/, '').match(/[^.[\]]+|\[\d+\]/g) ?? [];
  if (path.endsWith('.')) parts.push('');
  let cur: unknown = data;
  for (const p of parts) {
    if (cur === null || cur === undefined) return undefined;
    cur = p.startsWith('[')
      ? (cur as unknown[])[Number(p.slice(1, -1))]
      : (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function matches(actual: unknown, expected: unknown, what: string): void {
  if (expected === null) {
    assert.ok(
      actual === null || actual === undefined,
      `${what}: expected absent, got ${JSON.stringify(actual)}`,
    );
    return;
  }
  if (
    typeof expected === 'string' &&
    expected.length > 1 &&
    expected.startsWith('/') &&
    expected.endsWith('/')
  ) {
    assert.match(String(actual), new RegExp(expected.slice(1, -1)), what);
    return;
  }
  assert.deepEqual(actual, expected, what);
}

function checkJson(body: unknown, expect: Readonly<Record<string, unknown>>, vars: Vars, name: string) {
  for (const [rawKey, rawWant] of Object.entries(expect)) {
    const key = subst(rawKey, vars) as string;
    const want = subst(rawWant, vars);
    if (key.startsWith('len:')) {
      const v = pick(body, key.slice(4));
      const n = Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length : -1;
      assert.equal(n, want, `${name}: ${key}`);
    } else if (key.startsWith('sorted:')) {
      assert.deepEqual(
        [...((pick(body, key.slice(7)) as unknown[]) ?? [])].sort(),
        [...(want as unknown[])].sort(),
        `${name}: ${key}`,
      );
    } else matches(pick(body, key), want, `${name}: ${key}`);
  }
}

export async function runCase(app: FastifyInstance, file: HttpFile, t: HttpCase, vars: Vars): Promise<void> {
  const mv = t.microversion ?? file.defaults?.microversion;
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = t.token ?? file.defaults?.token ?? 'admin';
  if (token) headers['x-auth-token'] = token;
  if (mv) headers['openstack-api-version'] = `placement ${mv}`;
  let payload: string | undefined;
  if (t.body !== undefined) {
    payload = JSON.stringify(subst(t.body, vars));
    headers['content-type'] = 'application/json';
  } else if (t.rawBody !== undefined) payload = t.rawBody;
  Object.assign(headers, subst(t.headers ?? {}, vars));
  for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
  const res = await app.inject({
    method: (t.method ?? 'GET') as 'GET',
    url: subst(t.url, vars) as string,
    headers,
    payload,
  });
  const body = res.body
    ? (() => {
        try {
          return JSON.parse(res.body);
        } catch {
          return res.body;
        }
      })()
    : undefined;
  const ctx = `${t.name} → ${res.statusCode} ${res.body.slice(0, 600)}`;
  assert.equal(res.statusCode, t.status ?? 200, ctx);
  if (t.code) assert.equal(pick(body, '$.errors[0].code'), t.code, ctx);
  if (t.json) checkJson(body, t.json, vars, ctx);
  const detail = String(pick(body, '$.errors[0].detail') ?? '');
  for (const s of t.strings ?? []) {
    const want = subst(s, vars) as string;
    assert.ok(res.body.includes(want) || detail.includes(want), `${ctx}: missing "${s}"`);
  }
  for (const [h, v] of Object.entries(t.headersMatch ?? {}))
    matches(res.headers[h.toLowerCase()], subst(v, vars), `${ctx}: header ${h}`);
  for (const h of t.absentHeaders ?? [])
    assert.equal(res.headers[h.toLowerCase()], undefined, `${ctx}: header ${h} present`);
  for (const [k, path] of Object.entries(t.save ?? {})) {
    const v = pick(body, path);
    vars.set(k, typeof v === 'number' ? `#num:${v}` : String(v));
  }
}

export function varsFor(file: HttpFile): Vars {
  return new Map((file.uuids ?? []).map((k) => [k, randomUUID()]));
}
