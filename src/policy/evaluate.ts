// Evaluates a parsed check against the caller's credentials and the target, as oslo.policy does.
import type { Check } from './check-parser.ts';

export type Credentials = Readonly<Record<string, unknown>>;

export interface EvalEnv {
  readonly target: Readonly<Record<string, unknown>>;
  readonly creds: Credentials;
  /** Looks up a named rule (`rule:x`); undefined when there is no such rule. */
  readonly rule: (name: string) => Check | undefined;
}

/** `a.b.c` looks up a flat key first (oslo flattens targets), then walks nested objects. */
function lookup(obj: Readonly<Record<string, unknown>>, path: string): unknown {
  if (path in obj) return obj[path];
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const asText = (v: unknown): string => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

/** Substitutes %(key)s from the target; undefined when a key is missing (the check then fails). */
function substitute(template: string, target: Readonly<Record<string, unknown>>): string | undefined {
  let missing = false;
  const out = template.replace(/%\(([^)]+)\)s/g, (_m, key: string) => {
    const v = lookup(target, key);
    if (v === undefined || v === null) {
      missing = true;
      return '';
    }
    return asText(v);
  });
  return missing ? undefined : out;
}

function unquote(s: string): string {
  const m = /^(['"])(.*)\1$/.exec(s);
  return m ? m[2] : s;
}

export function evaluate(check: Check, env: EvalEnv, depth = 0): boolean {
  if (depth > 50) return false; // a rule cycle: deny rather than loop
  switch (check.kind) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'rule': {
      const rule = env.rule(check.name);
      return rule ? evaluate(rule, env, depth + 1) : false;
    }
    case 'role': {
      const roles = env.creds.roles;
      const wanted = substitute(check.role, env.target);
      return (
        Array.isArray(roles) &&
        wanted !== undefined &&
        roles.some((r) => String(r).toLowerCase() === wanted.toLowerCase())
      );
    }
    case 'generic': {
      const match = substitute(unquote(check.right), env.target);
      if (match === undefined) return false;
      const have = lookup(env.creds, check.left);
      if (Array.isArray(have)) return have.some((v) => asText(v) === match);
      return have !== undefined && have !== null && asText(have) === match;
    }
    case 'literal': {
      const match = substitute(unquote(check.right), env.target);
      return match !== undefined && match === check.value;
    }
    case 'not':
      return !evaluate(check.check, env, depth + 1);
    case 'and':
      return check.checks.every((c) => evaluate(c, env, depth + 1));
    case 'or':
      return check.checks.some((c) => evaluate(c, env, depth + 1));
  }
}
