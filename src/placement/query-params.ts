// Parsing of the query parameters several routes share (upstream util.normalize_*): resources,
// required traits (!forbidden from 1.22, in: any-of from 1.39), member_of (in:, ! from 1.32,
// repeated from 1.24) and in_tree. Messages are upstream's.
import { isUuidLike } from '../common/ids.ts';
import type { QueryParams } from './context.ts';
import { badRequest } from './errors.ts';
import type { Microversion } from './microversion.ts';

const RESOURCES_FORM =
  'Badly formed resources parameter. Expected resources query string parameter in form: ' +
  '?resources=VCPU:2,MEMORY_MB:1024.';

/** "VCPU:2,MEMORY_MB:1024" → { VCPU: 2, MEMORY_MB: 1024 }. */
export function parseResources(value: string): Readonly<Record<string, number>> {
  if (value.trim() === '') throw badRequest(`${RESOURCES_FORM} Got: empty string.`);
  const out: Record<string, number> = {};
  for (const part of value.split(',')) {
    const bits = part.split(':');
    if (bits.length !== 2) throw badRequest(`${RESOURCES_FORM} Got: ${part}.`);
    const [rc, raw] = bits;
    const text = raw.trim();
    if (!/^[+-]?\d+$/.test(text))
      throw badRequest(`Requested resource ${rc} expected positive integer amount. Got: ${raw}.`);
    const amount = Number(text);
    if (amount < 1) throw badRequest(`Requested resource ${rc} requires amount >= 1. Got: ${amount}.`);
    out[rc] = amount;
  }
  return out;
}

export interface TraitTerms {
  /** AND of any-of sets. */
  readonly required: readonly ReadonlySet<string>[];
  readonly forbidden: ReadonlySet<string>;
}

const BAD = 'Invalid query string parameters:';

/** One `required` value. */
export function parseTraits(value: string, allowForbidden: boolean, allowAnyOf: boolean): TraitTerms {
  if (value.startsWith('in:')) {
    if (!allowAnyOf)
      throw badRequest(
        `${BAD} The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since microversion 1.39. Got: ${value}`,
      );
    const any = new Set(
      value
        .slice(3)
        .split(',')
        .map((s) => s.trim()),
    );
    if ([...any].some((t) => !t))
      throw badRequest(
        `${BAD} Expected 'required' parameter value of the form: in:HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait in: ${value}`,
      );
    if ([...any].some((t) => t.startsWith('!')))
      throw badRequest(
        `${BAD} The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' does not support forbidden traits. Got: ${value}`,
      );
    return { required: [any], forbidden: new Set() };
  }
  const all = value.split(',').map((s) => s.trim());
  const forbidden = new Set(all.filter((t) => t.startsWith('!')).map((t) => t.replace(/^!+/, '')));
  if ([...all, ...forbidden].some((t) => !t)) {
    const form = allowForbidden ? 'HW_CPU_X86_VMX,!CUSTOM_MAGIC' : 'HW_CPU_X86_VMX,CUSTOM_MAGIC';
    throw badRequest(
      `${BAD} Expected 'required' parameter value of the form: ${form}. Got an empty trait in: ${value}`,
    );
  }
  if (forbidden.size > 0 && !allowForbidden)
    throw badRequest(
      `${BAD} Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: ${value}`,
    );
  const required = all.filter((t) => !t.startsWith('!')).map((t) => new Set([t]));
  return { required, forbidden };
}

/** Every `required<suffix>` of the request (only the last before 1.39). */
export function traitsParam(q: QueryParams, mv: Microversion, suffix = ''): TraitTerms {
  const allowAnyOf = mv.atLeast('1.39');
  const values = q.getAll(`required${suffix}`);
  const used = allowAnyOf ? values : values.slice(-1);
  const required: ReadonlySet<string>[] = [];
  const forbidden = new Set<string>();
  for (const v of used) {
    const t = parseTraits(v, mv.atLeast('1.22'), allowAnyOf);
    required.push(...t.required);
    for (const f of t.forbidden) forbidden.add(f);
  }
  return { required, forbidden };
}

export interface AggregateTerms {
  readonly memberOf: readonly ReadonlySet<string>[];
  readonly forbidden: ReadonlySet<string>;
}

function parseMemberOf(value: string): { required: Set<string>; forbidden: Set<string> } {
  if (value.includes(',') && !(value.startsWith('in:') || value.startsWith('!in:')))
    throw badRequest(
      `Multiple values for 'member_of' must be prefixed with the 'in:' or '!in:' keyword using the valid microversion. Got: ${value}`,
    );
  let required = new Set<string>();
  let forbidden = new Set<string>();
  if (value.startsWith('!in:')) forbidden = new Set(value.slice(4).split(','));
  else if (value.startsWith('!')) forbidden = new Set([value.slice(1)]);
  else if (value.startsWith('in:')) required = new Set(value.slice(3).split(','));
  else required = new Set([value]);
  for (const u of [...required, ...forbidden])
    if (!isUuidLike(u))
      throw badRequest(`${BAD} Expected 'member_of' parameter to contain valid UUID(s). Got: ${u}`);
  return { required, forbidden };
}

/** Every `member_of<suffix>` of the request. */
export function memberOfParam(q: QueryParams, mv: Microversion, suffix = ''): AggregateTerms {
  const values = q.getAll(`member_of${suffix}`);
  if (!mv.atLeast('1.24') && values.length > 1)
    throw badRequest(`Multiple member_of${suffix} parameters are not supported`);
  const memberOf: ReadonlySet<string>[] = [];
  const forbidden = new Set<string>();
  for (const v of values) {
    const p = parseMemberOf(v);
    if (p.required.size) memberOf.push(p.required);
    if (p.forbidden.size) {
      if (!mv.atLeast('1.32'))
        throw badRequest(
          `Forbidden member_of${suffix} parameters are not supported in the specified microversion`,
        );
      for (const f of p.forbidden) forbidden.add(f);
    }
  }
  return { memberOf, forbidden };
}

export function inTreeParam(value: string): string {
  const v = value.trim();
  if (!isUuidLike(v))
    throw badRequest(`${BAD} Expected 'in_tree' parameter to be a format of uuid. Got: ${value}`);
  return v;
}
