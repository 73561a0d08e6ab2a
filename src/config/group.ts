// Groups (config file sections) and small helpers for option sets shared by several groups.
import type { DeprecatedSpec, GroupDecl, OptDecl, OptMap } from './option-types.ts';

export function defineGroup<const N extends string, O extends OptMap>(
  name: N,
  title: string,
  help: string,
  opts: O,
): GroupDecl<N, O> {
  return Object.freeze({ name, title, help, opts: Object.freeze({ ...opts }) });
}

/** The same option set with extra deprecated spellings on some options (shared factories use it). */
export function withDeprecated<O extends OptMap>(
  opts: O,
  extra: { readonly [K in keyof O]?: readonly DeprecatedSpec[] },
): O {
  const out: Record<string, OptDecl<unknown>> = { ...opts };
  for (const [name, specs] of Object.entries(extra) as [string, readonly DeprecatedSpec[]][]) {
    const base = out[name];
    if (!base) throw new Error(`withDeprecated: no option ${name}`);
    out[name] = Object.freeze({ ...base, deprecated: [...(base.deprecated ?? []), ...specs] });
  }
  return out as O;
}
