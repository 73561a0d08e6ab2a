// Payloads are plain JSON: null, booleans, finite numbers, strings, arrays and plain objects. Both
// transports encode through here, so a Date, Map, class instance, NaN, bigint or cycle fails the same
// way in-process as on the wire (JSON.stringify alone would silently turn some of them into
// something else). `undefined` object members are dropped, as JSON.stringify does.
import { InvalidPayload } from './faults.ts';

const MAX_DEPTH = 100;

function kindOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  const proto = Object.getPrototypeOf(value);
  return proto?.constructor?.name ?? 'object';
}

function check(value: unknown, path: string, depth: number, seen: Set<object>): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidPayload(`${path} is ${value}, not plain JSON`);
      return;
    case 'object':
      break;
    default:
      throw new InvalidPayload(`${path} is a ${kindOf(value)}, not plain JSON`);
  }
  if (value === null) return;
  if (depth > MAX_DEPTH) throw new InvalidPayload(`${path} is nested more than ${MAX_DEPTH} levels deep`);
  if (seen.has(value)) throw new InvalidPayload(`${path} is a circular reference`);
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      check(v, `${path}[${i}]`, depth + 1, seen);
    });
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new InvalidPayload(`${path} is a ${kindOf(value)}, not plain JSON`);
    }
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) check(v, `${path}.${k}`, depth + 1, seen);
    }
  }
  seen.delete(value);
}

/** Throws InvalidPayload naming the first offending path (e.g. `args.when is a Date`). */
export function assertPlainJson(value: unknown, path: string): void {
  check(value, path, 0, new Set());
}
