// Text → typed value, per option type, with the checks oslo.config's types make. A bad value throws
// ValueProblem carrying only the reason; the caller adds option, group and source.
import { isIP } from 'node:net';
import type { DictValue } from './option-types.ts';
import type { RegisteredOpt } from './registry.ts';

export class ValueProblem extends Error {}

const TRUE = new Set(['true', '1', 'on', 'yes']);
const FALSE = new Set(['false', '0', 'off', 'no']);
const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** scheme://authority… with no whitespace (oslo's URI type requires scheme and authority). */
const URI_RE = /^([a-z][a-z0-9+.-]*):\/\/[^\s/?#]+[^\s]*$/i;
const LABEL_RE = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/i;

const quote = (raw: string): string => `'${raw}'`;

export function parseBool(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new ValueProblem(`${quote(raw)} is not a boolean (use true or false)`);
}

function checkRange(opt: RegisteredOpt, n: number, raw: string): number {
  if (opt.min !== undefined && n < opt.min)
    throw new ValueProblem(`${quote(raw)} is less than the minimum ${opt.min}`);
  if (opt.max !== undefined && n > opt.max)
    throw new ValueProblem(`${quote(raw)} is more than the maximum ${opt.max}`);
  return n;
}

function checkChoices<T extends string | number>(opt: RegisteredOpt, v: T, raw: string): T {
  if (opt.choices && !opt.choices.includes(v)) {
    throw new ValueProblem(`${quote(raw)} is not one of: ${opt.choices.join(', ')}`);
  }
  return v;
}

function parseNumber(opt: RegisteredOpt, raw: string): number {
  const s = raw.trim();
  if (opt.type === 'float') {
    if (!FLOAT_RE.test(s)) throw new ValueProblem(`${quote(raw)} is not a number`);
    return checkRange(opt, Number(s), raw);
  }
  if (!INT_RE.test(s)) throw new ValueProblem(`${quote(raw)} is not an integer`);
  const n = Number(s);
  if (opt.type === 'port' && (n < 0 || n > 65535)) {
    throw new ValueProblem(`${quote(raw)} is not a port number (0-65535)`);
  }
  return checkChoices(opt, checkRange(opt, n, raw), raw);
}

export function isHostname(s: string): boolean {
  const name = s.endsWith('.') ? s.slice(0, -1) : s;
  if (!name || name.length > 253) return false;
  const labels = name.split('.');
  return labels.every((l) => LABEL_RE.test(l)) && !/^\d+$/.test(labels.at(-1) ?? '');
}

function parseUri(opt: RegisteredOpt, raw: string): string {
  const m = URI_RE.exec(raw);
  if (!m || !URL.canParse(raw)) throw new ValueProblem(`${quote(raw)} is not a valid URI`);
  const scheme = m[1].toLowerCase();
  if (opt.schemes && !opt.schemes.includes(scheme)) {
    throw new ValueProblem(`${quote(raw)} has scheme ${scheme}, not one of: ${opt.schemes.join(', ')}`);
  }
  return raw;
}

/** Comma-separated items, trimmed; empty items dropped (so '' is the empty list). */
export function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function parseList(opt: RegisteredOpt, raw: string, warn: (msg: string) => void): readonly string[] {
  const items: string[] = [];
  for (const item of splitList(raw)) {
    const removed = opt.removedItems?.[item];
    if (removed !== undefined) {
      warn(`'${item}' is dropped: ${removed}`);
      continue;
    }
    if (opt.itemChoices && !opt.itemChoices.includes(item)) {
      throw new ValueProblem(`item '${item}' is not one of: ${opt.itemChoices.join(', ')}`);
    }
    items.push(item);
  }
  return items;
}

function parseDict(raw: string): DictValue {
  const out: Record<string, string> = {};
  for (const item of splitList(raw)) {
    const at = item.indexOf(':');
    if (at < 0) throw new ValueProblem(`'${item}' is not a key:value pair`);
    out[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return out;
}

/**
 * Converts one raw value (already interpolated). Empty text means "unset" for numbers (as oslo's
 * Integer and Float types do); callers then fall back to the default.
 */
export function convertValue(opt: RegisteredOpt, raw: string, warn: (msg: string) => void): unknown {
  switch (opt.type) {
    case 'bool':
      return parseBool(raw);
    case 'int':
    case 'float':
    case 'port':
      return raw.trim() === '' ? undefined : parseNumber(opt, raw);
    case 'list':
      return parseList(opt, raw, warn);
    case 'multistring':
      return [raw];
    case 'dict':
      return parseDict(raw);
    case 'uri':
      return parseUri(opt, raw);
    case 'ip':
      if (isIP(raw) === 0) throw new ValueProblem(`${quote(raw)} is not an IP address`);
      return raw;
    case 'hostaddress':
      if (isIP(raw) === 0 && !isHostname(raw)) {
        throw new ValueProblem(`${quote(raw)} is not an IP address or host name`);
      }
      return raw;
    case 'string':
    case 'path':
      if (opt.pattern && !opt.pattern.test(raw)) {
        throw new ValueProblem(`${quote(raw)} does not match ${String(opt.pattern)}`);
      }
      return checkChoices(opt, raw, raw);
  }
}
