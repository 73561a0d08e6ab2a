// The option registry: every declared option with its group and resolved deprecated spellings, plus
// the options nova-ts knows but does not use. Built once from the explicit group list; lookups are
// by (section, key) the way oslo.config reads files: group names other than DEFAULT are matched
// case-insensitively, option names exactly.
import type { AnyGroupDecl, AnyOptDecl, ConfOf, OptName } from './option-types.ts';

/** An option that nova-ts accepts in a file but does not use (removed upstream, or no equivalent). */
export interface IgnoredOption extends OptName {
  readonly reason: string;
}

export interface RegisteredOpt extends AnyOptDecl, OptName {
  /** Older spellings, group names normalised. */
  readonly deprecatedNames: readonly OptName[];
}

export interface RegisteredGroup {
  readonly name: string;
  readonly title: string;
  readonly help: string;
  readonly opts: readonly RegisteredOpt[];
}

/** What a (section, key) pair in a file means. */
export type KeyMeaning =
  | { readonly kind: 'option'; readonly opt: RegisteredOpt }
  | { readonly kind: 'deprecated'; readonly opt: RegisteredOpt }
  | { readonly kind: 'ignored'; readonly ignored: IgnoredOption };

export interface Registry<C = unknown> {
  readonly groups: readonly RegisteredGroup[];
  readonly options: readonly RegisteredOpt[];
  readonly ignored: readonly IgnoredOption[];
  /** An option by its current group and name. */
  find(group: string, name: string): RegisteredOpt | undefined;
  /** What `key` in section `section` of a file refers to, if anything. */
  meaning(section: string, key: string): KeyMeaning | undefined;
  /** Whether anything (option, old spelling, ignored option) lives in this section. */
  knowsSection(section: string): boolean;
  /** Phantom: the conf type loading with this registry produces. */
  readonly '~conf'?: { readonly c: C };
}

/** oslo.config: section names are case-insensitive, except that only `DEFAULT` means DEFAULT. */
export function normalizeGroup(section: string): string {
  return section === 'DEFAULT' ? section : section.toLowerCase();
}

/** A map key for an option. */
export const optKey = (group: string, name: string): string => `${group}\u0000${name}`;
const keyOf = optKey;

function register(group: AnyGroupDecl, name: string, decl: AnyOptDecl): RegisteredOpt {
  const deprecatedNames = (decl.deprecated ?? []).map((d) => ({
    group: normalizeGroup(d.group ?? group.name),
    name: d.name ?? name,
  }));
  return Object.freeze({ ...decl, group: group.name, name, deprecatedNames: Object.freeze(deprecatedNames) });
}

export function buildRegistry<const Gs extends readonly AnyGroupDecl[]>(
  groups: Gs,
  ignored: readonly IgnoredOption[] = [],
): Registry<ConfOf<Gs>> {
  const meanings = new Map<string, KeyMeaning>();
  const sections = new Set<string>();
  const claim = (group: string, name: string, m: KeyMeaning): void => {
    const k = keyOf(group, name);
    const prior = meanings.get(k);
    if (prior) throw new Error(`config registry: [${group}] ${name} is declared twice`);
    meanings.set(k, m);
    sections.add(group);
  };
  const regGroups: RegisteredGroup[] = [];
  const options: RegisteredOpt[] = [];
  for (const g of groups) {
    if (normalizeGroup(g.name) !== g.name)
      throw new Error(`config registry: group ${g.name} must be lower case`);
    const opts = Object.entries(g.opts).map(([name, decl]) => register(g, name, decl));
    for (const opt of opts) claim(opt.group, opt.name, { kind: 'option', opt });
    regGroups.push(Object.freeze({ name: g.name, title: g.title, help: g.help, opts: Object.freeze(opts) }));
    options.push(...opts);
  }
  for (const opt of options) {
    for (const d of opt.deprecatedNames) claim(d.group, d.name, { kind: 'deprecated', opt });
  }
  for (const ig of ignored) claim(normalizeGroup(ig.group), ig.name, { kind: 'ignored', ignored: ig });
  const byName = new Map(options.map((o) => [keyOf(o.group, o.name), o]));
  return Object.freeze({
    groups: Object.freeze(regGroups),
    options: Object.freeze(options),
    ignored: Object.freeze([...ignored]),
    find: (group: string, name: string) => byName.get(keyOf(group, name)),
    meaning: (section: string, key: string) => meanings.get(keyOf(normalizeGroup(section), key)),
    knowsSection: (section: string) => sections.has(normalizeGroup(section)),
  });
}
