// JsonFilter: the `query` hint is a JSON expression over host fields, e.g.
//   [">=", "$free_ram_mb", 1024]   ["and", ["<", "$num_instances", 5], ["in", "$host", "h1", "h2"]]
// Operators: = < > <= >= (first argument against every other), in (first among the rest),
// not (negates each), or, and. "$name" reads a HostState field ($free_ram_mb, $free_disk_mb,
// $vcpus_total, $vcpus_used, $host, $num_instances…; "$stats.key" walks into objects); names that
// resolve to nothing, and empty strings, are dropped from the arguments. A query that is not valid
// JSON or uses an unknown operator lets no host pass.
import type { HostFilter, HostState } from '../types.ts';
import { schedulerHint } from './utils.ts';

type Value = unknown;

/** Truth as the query language sees it (empty lists, zero and empty text are false). */
function truthy(v: Value): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v !== null && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Ordering of two values of the same kind; other pairs cannot be ordered. */
function order(a: Value, b: Value): number | undefined {
  const num = (x: Value) => typeof x === 'number' || typeof x === 'boolean';
  if (num(a) && num(b)) return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function equal(a: Value, b: Value): boolean {
  if (typeof a === 'boolean' || typeof b === 'boolean') return order(a, b) === 0;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function compareAll(test: (d: number) => boolean) {
  return (args: Value[]): boolean => {
    if (args.length < 2) return false;
    return args.slice(1).every((b) => {
      const d = order(args[0], b);
      return d !== undefined && test(d);
    });
  };
}

const COMMANDS: Readonly<Record<string, (args: Value[]) => Value>> = Object.freeze({
  '=': (args: Value[]) => args.length >= 2 && args.slice(1).every((b) => equal(args[0], b)),
  '<': compareAll((d) => d < 0),
  '>': compareAll((d) => d > 0),
  '<=': compareAll((d) => d <= 0),
  '>=': compareAll((d) => d >= 0),
  in: (args: Value[]) => args.length >= 2 && args.slice(1).some((b) => equal(args[0], b)),
  not: (args: Value[]) => args.map((a) => !truthy(a)),
  or: (args: Value[]) => args.some(truthy),
  and: (args: Value[]) => args.every(truthy),
});

class BadQuery extends Error {}

function lookup(host: HostState, text: string): Value {
  if (!text) return undefined;
  if (!text.startsWith('$')) return text;
  const [first, ...rest] = text.slice(1).split('.');
  let obj: Value = Object.hasOwn(host, first) ? (host as unknown as Record<string, Value>)[first] : undefined;
  for (const key of rest) {
    if (obj === null || typeof obj !== 'object' || !Object.hasOwn(obj, key)) return undefined;
    obj = (obj as Record<string, Value>)[key];
  }
  return obj ?? undefined;
}

function evaluate(query: Value, host: HostState): Value {
  if (!Array.isArray(query)) throw new BadQuery('a query is a list');
  if (query.length === 0) return true;
  const [cmd, ...rawArgs] = query;
  if (typeof cmd !== 'string' || !Object.hasOwn(COMMANDS, cmd)) throw new BadQuery(`unknown operator ${cmd}`);
  const args: Value[] = [];
  for (const raw of rawArgs) {
    const arg = Array.isArray(raw) ? evaluate(raw, host) : typeof raw === 'string' ? lookup(host, raw) : raw;
    if (arg !== undefined && arg !== null) args.push(arg);
  }
  return COMMANDS[cmd](args);
}

/** Whether the host satisfies the query text (tests and the filter). */
export function hostMatchesQuery(host: HostState, queryText: string): boolean {
  try {
    const result = evaluate(JSON.parse(queryText), host);
    return Array.isArray(result) ? result.some(truthy) : truthy(result);
  } catch {
    return false;
  }
}

export const JsonFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'JsonFilter',
  hostPasses: (host, spec) => {
    const hint = schedulerHint(spec, 'query');
    const query = typeof hint === 'string' ? hint : hint?.[0];
    return !query || hostMatchesQuery(host, query);
  },
});
