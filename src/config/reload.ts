// SIGHUP: read the same files again and take over only the options declared mutable. A changed
// option that is not mutable keeps its old value, with a warning that it needs a restart. A file
// that no longer loads throws ConfigError; the caller keeps running on the previous conf.
import { buildConf, readConf } from './conf-object.ts';
import { type ConfigSchema, type LoadOptions, type LoadResult, loadConfigWith, NOVA_SCHEMA } from './load.ts';
import type { NovaConf } from './options/index.ts';
import { optKey } from './registry.ts';

export interface ChangedOption {
  readonly group: string;
  readonly name: string;
  readonly oldValue: unknown;
  readonly newValue: unknown;
  /** Print neither value when true. */
  readonly secret: boolean;
}

export interface ReloadResult<C = NovaConf> extends LoadResult<C> {
  /** Mutable options whose value changed (and now has the new value). */
  readonly changed: readonly ChangedOption[];
}

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

export function reloadConfigWith<C>(
  schema: ConfigSchema<C>,
  previous: LoadResult<C>,
  opts: LoadOptions = {},
): ReloadResult<C> {
  const next = loadConfigWith(schema, opts);
  const values = new Map<string, unknown>();
  const changed: ChangedOption[] = [];
  const warnings = [...next.warnings];
  for (const opt of schema.registry.options) {
    const oldValue = readConf(previous.conf, opt.group, opt.name);
    const newValue = readConf(next.conf, opt.group, opt.name);
    let value = oldValue;
    if (!same(oldValue, newValue)) {
      if (opt.mutable) {
        value = newValue;
        changed.push(
          Object.freeze({
            group: opt.group,
            name: opt.name,
            oldValue,
            newValue,
            secret: opt.secret === true,
          }),
        );
      } else {
        warnings.push(
          `Option "${opt.name}" in group "${opt.group}" changed but cannot change without a restart; keeping the old value`,
        );
      }
    }
    values.set(optKey(opt.group, opt.name), value);
  }
  return Object.freeze({
    conf: buildConf(schema.registry, values),
    warnings: Object.freeze(warnings),
    files: next.files,
    changed: Object.freeze(changed),
  });
}

/** Reloads nova-ts's configuration for SIGHUP. */
export function reloadConfig(previous: LoadResult<NovaConf>, opts: LoadOptions = {}): ReloadResult<NovaConf> {
  return reloadConfigWith(NOVA_SCHEMA, previous, opts);
}
