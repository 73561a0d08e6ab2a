// The shapes of option declarations and the types derived from them. A declaration carries its
// value type as a phantom (`~value`), so a group's values type and the whole conf type follow from
// the declarations alone: no hand-written interface to keep in step.

/** Kinds of values an option holds (oslo.config's types, plus `path`). */
export type OptType =
  | 'string'
  | 'int'
  | 'float'
  | 'bool'
  | 'list'
  | 'multistring'
  | 'port'
  | 'uri'
  | 'ip'
  | 'hostaddress'
  | 'path'
  | 'dict';

/** Where an option lives: its group (section) and name. */
export interface OptName {
  readonly group: string;
  readonly name: string;
}

/**
 * An older spelling of an option. Omit `name` for "same name, older group"; omit `group` for "same
 * group, older name" (oslo's deprecated_group / deprecated_name).
 */
export interface DeprecatedSpec {
  readonly group?: string;
  readonly name?: string;
}

/** Facts about the running host that some defaults depend on (passed in, so tests can fix them). */
export interface DefaultContext {
  readonly hostname: string;
  readonly myIp: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A dict option's value. */
export type DictValue = Readonly<Record<string, string>>;

/** One option as declared in options/<group>.ts; `V` is the type of its loaded value. */
export interface OptDecl<V> {
  readonly type: OptType;
  readonly help: string;
  /** Static default; string (and list item) defaults may use `$option` interpolation. */
  readonly default?: unknown;
  /** Default computed at load time (host name, address, environment). */
  readonly computedDefault?: (ctx: DefaultContext) => unknown;
  /** What the sample file shows instead of the default (e.g. `<current_hostname>`). */
  readonly sampleDefault?: string;
  readonly choices?: readonly (string | number)[];
  /** Allowed items of a list option. */
  readonly itemChoices?: readonly string[];
  /** List items that used to be valid: dropped with a warning (item → why) instead of failing. */
  readonly removedItems?: Readonly<Record<string, string>>;
  readonly min?: number;
  readonly max?: number;
  /** Allowed URI schemes of a uri option. */
  readonly schemes?: readonly string[];
  /** A string option's value must match this. */
  readonly pattern?: RegExp;
  readonly deprecated?: readonly DeprecatedSpec[];
  /** Set when the option itself is on its way out: why. A value set for it is warned about. */
  readonly deprecatedForRemoval?: string;
  /** May change on SIGHUP without a restart. */
  readonly mutable?: boolean;
  /** Never printed (passwords, URLs with credentials). */
  readonly secret?: boolean;
  readonly '~value'?: { readonly v: V };
}

export type AnyOptDecl = OptDecl<unknown>;

export type OptMap = { readonly [name: string]: AnyOptDecl };

/** A group (config file section) as declared. */
export interface GroupDecl<N extends string, O extends OptMap> {
  readonly name: N;
  readonly title: string;
  readonly help: string;
  readonly opts: O;
}

export type AnyGroupDecl = GroupDecl<string, OptMap>;

export type ValueOf<O> = O extends OptDecl<infer V> ? V : never;

export type GroupValues<O extends OptMap> = { readonly [K in keyof O]: ValueOf<O[K]> };

/** The loaded configuration type for a list of groups: `conf.<group>.<option>`. */
export type ConfOf<Gs extends readonly AnyGroupDecl[]> = {
  readonly [G in Gs[number] as G['name']]: GroupValues<G['opts']>;
};
