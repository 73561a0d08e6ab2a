// Picks each option's raw text by precedence: command line overrides, then environment variables
// (NOVA_TS_STATE_PATH), then config files, leaving the rest to their defaults.
import { ConfigError } from './errors.ts';
import { type FileIndex, fileValue } from './file-values.ts';
import type { OptName } from './option-types.ts';
import { optKey, type RegisteredOpt, type Registry } from './registry.ts';
import type { RawValue } from './sources.ts';

/** A value from a command line flag, e.g. --state-path → {DEFAULT, state_path, value}. */
export interface ConfigOverride extends OptName {
  readonly value: string;
}

/** Environment variables that set an option (above the files, below the command line). */
export const ENV_OPTIONS: readonly (OptName & { readonly variable: string })[] = Object.freeze([
  { variable: 'NOVA_TS_STATE_PATH', group: 'DEFAULT', name: 'state_path' },
]);

function overrideTarget(
  registry: Registry,
  o: ConfigOverride,
  warn: (msg: string) => void,
): RegisteredOpt | undefined {
  const m = registry.meaning(o.group, o.name);
  if (!m) {
    throw new ConfigError(`Unknown option ${o.name} in group ${o.group} (command line)`, {
      group: o.group,
      option: o.name,
      source: 'command line',
    });
  }
  if (m.kind === 'ignored') {
    warn(`Option "${o.name}" in group "${o.group}" (command line) is not used by nova-ts and is ignored`);
    return undefined;
  }
  return m.opt;
}

function overrideValues(
  registry: Registry,
  overrides: readonly ConfigOverride[],
  warn: (msg: string) => void,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const o of overrides) {
    const opt = overrideTarget(registry, o, warn);
    if (!opt) continue;
    const key = optKey(opt.group, opt.name);
    const list = out.get(key) ?? [];
    if (opt.type === 'multistring') list.push(o.value);
    else list.splice(0, list.length, o.value);
    out.set(key, list);
  }
  return out;
}

export interface RawInput {
  readonly registry: Registry;
  readonly files: readonly FileIndex[];
  readonly overrides: readonly ConfigOverride[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly warn: (msg: string) => void;
}

export function collectRawValues(input: RawInput): Map<string, RawValue> {
  const { registry, files, env } = input;
  const raw = new Map<string, RawValue>();
  for (const opt of registry.options) {
    const rv = fileValue(opt, files);
    if (rv) raw.set(optKey(opt.group, opt.name), rv);
  }
  for (const e of ENV_OPTIONS) {
    const v = env[e.variable];
    if (v !== undefined && v !== '' && registry.find(e.group, e.name)) {
      raw.set(optKey(e.group, e.name), { texts: [v], source: { kind: 'env', variable: e.variable } });
    }
  }
  for (const [key, texts] of overrideValues(registry, input.overrides, input.warn)) {
    raw.set(key, { texts, source: { kind: 'cli' } });
  }
  return raw;
}
