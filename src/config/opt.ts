// Option factories, one per value type (oslo's StrOpt, IntOpt, …). Each returns a plain frozen
// declaration whose value type says whether the option always has a value: an option with a
// `default` (or a computed default that always yields one) is `T`, any other is `T | undefined`.
// A string option with `choices` narrows to the union of its choices.
import type { DefaultContext, DeprecatedSpec, DictValue, OptDecl, OptType } from './option-types.ts';

interface BaseSpec {
  readonly help: string;
  readonly sampleDefault?: string;
  readonly deprecated?: readonly DeprecatedSpec[];
  readonly deprecatedForRemoval?: string;
  readonly mutable?: boolean;
  readonly secret?: boolean;
}

interface Spec<T> extends BaseSpec {
  readonly default?: T;
  readonly computedDefault?: (ctx: DefaultContext) => T | undefined;
}

/** `T` when the spec guarantees a value, `T | undefined` otherwise. */
type Resolved<S, T> = S extends { readonly default: unknown }
  ? T
  : S extends { readonly computedDefault: (ctx: DefaultContext) => T }
    ? T
    : T | undefined;

export interface StrSpec extends Spec<string> {
  readonly choices?: readonly string[];
  readonly pattern?: RegExp;
}

type StrValue<S> = S extends { readonly choices: readonly (infer C)[] } ? C : string;

export interface NumberSpec extends Spec<number> {
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly number[];
}

export interface UriSpec extends Spec<string> {
  readonly schemes?: readonly string[];
}

export interface ListSpec extends Spec<readonly string[]> {
  readonly itemChoices?: readonly string[];
  readonly removedItems?: Readonly<Record<string, string>>;
}

function decl<V>(type: OptType, spec: BaseSpec & { readonly default?: unknown }): OptDecl<V> {
  const d = spec.default;
  if (d !== null && typeof d === 'object') Object.freeze(d);
  return Object.freeze({ type, ...spec }) as OptDecl<V>;
}

export function strOpt<const S extends StrSpec>(spec: S): OptDecl<Resolved<S, StrValue<S>>> {
  return decl('string', spec);
}

/** A filesystem path (a string; interpolation makes `$state_path/...` defaults work). */
export function pathOpt<const S extends Spec<string>>(spec: S): OptDecl<Resolved<S, string>> {
  return decl('path', spec);
}

export function intOpt<const S extends NumberSpec>(spec: S): OptDecl<Resolved<S, number>> {
  return decl('int', spec);
}

export function floatOpt<const S extends NumberSpec>(spec: S): OptDecl<Resolved<S, number>> {
  return decl('float', spec);
}

/** A TCP/UDP port, 0–65535. */
export function portOpt<const S extends Spec<number>>(spec: S): OptDecl<Resolved<S, number>> {
  return decl('port', { min: 0, max: 65535, ...spec } as BaseSpec);
}

export function boolOpt<const S extends Spec<boolean>>(spec: S): OptDecl<Resolved<S, boolean>> {
  return decl('bool', spec);
}

/** An absolute URI (`scheme:…`), optionally limited to some schemes. */
export function uriOpt<const S extends UriSpec>(spec: S): OptDecl<Resolved<S, string>> {
  return decl('uri', spec);
}

/** An IPv4 or IPv6 address. */
export function ipOpt<const S extends Spec<string>>(spec: S): OptDecl<Resolved<S, string>> {
  return decl('ip', spec);
}

/** An IP address or a host name. */
export function hostAddressOpt<const S extends Spec<string>>(spec: S): OptDecl<Resolved<S, string>> {
  return decl('hostaddress', spec);
}

/** Comma-separated values; items are trimmed and empty items dropped. */
export function listOpt<const S extends ListSpec>(spec: S): OptDecl<Resolved<S, readonly string[]>> {
  return decl('list', spec);
}

/** A key given once per value (`driver = a` then `driver = b`): every occurrence counts. */
export function multiStrOpt(
  spec: BaseSpec & { readonly default?: readonly string[] },
): OptDecl<readonly string[]> {
  return decl('multistring', { default: [], ...spec } as BaseSpec);
}

/** `key:value,key2:value2`. */
export function dictOpt<const S extends Spec<DictValue>>(spec: S): OptDecl<Resolved<S, DictValue>> {
  return decl('dict', spec);
}
