// Final values: for every option take its raw text (command line, environment or files) or its
// default, substitute `$references` against other options' final values (resolved on demand, so
// order does not matter and a loop is reported), then convert to the option's type.
import { ConfigError, invalidValue } from './errors.ts';
import { interpolate, valueAsText } from './interpolate.ts';
import type { DefaultContext } from './option-types.ts';
import { normalizeGroup, optKey, type RegisteredOpt, type Registry } from './registry.ts';
import { describeSource, type RawValue, type ValueSource } from './sources.ts';
import { convertValue, ValueProblem } from './values.ts';

export interface ResolveInput {
  readonly registry: Registry;
  /** Raw text per option key (see optKey), already chosen by precedence. */
  readonly raw: ReadonlyMap<string, RawValue>;
  readonly ctx: DefaultContext;
  readonly warn: (msg: string) => void;
}

const label = (opt: RegisteredOpt): string => `[${opt.group}] ${opt.name}`;

export function resolveValues(input: ResolveInput): Map<string, unknown> {
  const { registry, raw, ctx, warn } = input;
  const values = new Map<string, unknown>();
  const active: RegisteredOpt[] = [];

  const target = (opt: RegisteredOpt, ref: string): RegisteredOpt | undefined => {
    const dot = ref.indexOf('.');
    if (dot > 0) {
      const named = registry.find(normalizeGroup(ref.slice(0, dot)), ref.slice(dot + 1));
      if (named) return named;
    }
    return registry.find(opt.group, ref) ?? registry.find('DEFAULT', ref);
  };

  const substitute = (opt: RegisteredOpt, text: string, source: ValueSource): string =>
    interpolate(
      text,
      (ref) => {
        const t = target(opt, ref);
        return t ? valueAsText(resolve(t)) : undefined;
      },
      (ref) =>
        warn(
          `Option "${opt.name}" in group "${opt.group}" (${describeSource(source)}) refers to $${ref}, ` +
            'which is not a known option; the text is kept as written',
        ),
    );

  const fromDefault = (opt: RegisteredOpt): unknown => {
    if (opt.computedDefault) return opt.computedDefault(ctx);
    const d = opt.default;
    const source: ValueSource = { kind: 'default' };
    if (typeof d === 'string') return substitute(opt, d, source);
    if (Array.isArray(d))
      return Object.freeze(d.map((x) => (typeof x === 'string' ? substitute(opt, x, source) : x)));
    return d;
  };

  const fromRaw = (opt: RegisteredOpt, rv: RawValue): unknown => {
    const where = describeSource(rv.source);
    const note = (msg: string): void =>
      warn(`Option "${opt.name}" in group "${opt.group}" (${where}): ${msg}`);
    try {
      if (opt.type === 'multistring') return rv.texts.map((t) => substitute(opt, t, rv.source));
      const v = convertValue(opt, substitute(opt, rv.texts[0] ?? '', rv.source), note);
      return v === undefined ? fromDefault(opt) : v;
    } catch (err) {
      if (err instanceof ValueProblem) throw invalidValue(opt.group, opt.name, where, err.message);
      throw err;
    }
  };

  function resolve(opt: RegisteredOpt): unknown {
    const key = optKey(opt.group, opt.name);
    if (values.has(key)) return values.get(key);
    if (active.includes(opt)) {
      const loop = [...active.slice(active.indexOf(opt)), opt].map(label).join(' -> ');
      throw new ConfigError(`Interpolation loop for option ${opt.name} in group ${opt.group}: ${loop}`, {
        group: opt.group,
        option: opt.name,
      });
    }
    active.push(opt);
    try {
      const rv = raw.get(key);
      const value = rv ? fromRaw(opt, rv) : fromDefault(opt);
      values.set(key, value);
      return value;
    } finally {
      active.pop();
    }
  }

  for (const opt of registry.options) resolve(opt);
  return values;
}
