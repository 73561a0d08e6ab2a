// Builds the conf object (`conf.<group>.<option>`) from resolved values, deeply frozen.
import { optKey, type Registry } from './registry.ts';

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export function buildConf<C>(registry: Registry<C>, values: ReadonlyMap<string, unknown>): C {
  const conf: Record<string, Record<string, unknown>> = {};
  for (const g of registry.groups) {
    const group: Record<string, unknown> = {};
    for (const o of g.opts) group[o.name] = values.get(optKey(o.group, o.name));
    conf[g.name] = group;
  }
  return deepFreeze(conf) as C;
}

/** The value of one option in a built conf (for code that works by name, like reload). */
export function readConf(conf: unknown, group: string, name: string): unknown {
  return (conf as Record<string, Record<string, unknown>>)[group]?.[name];
}
