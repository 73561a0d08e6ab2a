// Validation of known extra specs (microversion 2.86+), as upstream's validators.validate: an exact
// or parameterised match is checked for type and value; an unknown key in a known namespace is refused;
// anything else passes.
import { Invalid } from '../../faults/fault.ts';
import { EXTRA_SPEC_DEFS, type ExtraSpecDef } from './definitions.ts';

interface Compiled {
  readonly def: ExtraSpecDef;
  readonly nameRe: RegExp;
  readonly valueRe?: RegExp;
}

function escapeLiteral(s: string): string {
  return s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
}

function compile(def: ExtraSpecDef): Compiled {
  let re = '';
  for (const part of def.name.split(/(\{[a-z_]+\})/)) {
    const p = /^\{([a-z_]+)\}$/.exec(part);
    const param = p && def.params?.find(([n]) => n === p[1]);
    re += param ? `(?<${param[0]}>${param[1]})` : escapeLiteral(part);
  }
  const nameRe = new RegExp(`^(?:${re})$`);
  const valueRe =
    def.value.type === 'str' && def.value.pattern ? new RegExp(`^(?:${def.value.pattern})$`) : undefined;
  return { def, nameRe, valueRe };
}

const fail = (msg: string) => new Invalid(`Validation failed; ${msg}`);
const TRUE_VALUES = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_VALUES = ['0', 'f', 'false', 'off', 'n', 'no'];

function checkValue(c: Compiled, value: string): void {
  const v = c.def.value;
  if (v.type === 'int') {
    if (!/^\s*[-+]?\d+\s*$/.test(value)) throw fail(`'${value}' is not a valid integer value.`);
    const n = Number(value);
    if (v.max !== undefined && v.max < n)
      throw fail(`'${value}' is greater than the max value of '${v.max}'.`);
    if (v.min !== undefined && v.min > n) throw fail(`'${value}' is less than the min value of '${v.min}'.`);
  } else if (v.type === 'bool') {
    const s = value.trim().toLowerCase();
    if (!TRUE_VALUES.includes(s) && !FALSE_VALUES.includes(s))
      throw fail(`'${value}' is not a valid boolean-like value.`);
  } else if (c.valueRe) {
    if (!c.valueRe.test(value)) throw fail(`'${value}' is not of the format '${v.pattern}'.`);
  } else if (v.enum && !v.enum.includes(value)) {
    throw fail(`'${value}' is not one of: ${v.enum.join(', ')}.`);
  }
}

export interface ExtraSpecValidator {
  validate(name: string, value: string): void;
}

export function createExtraSpecValidator(
  defs: readonly ExtraSpecDef[] = EXTRA_SPEC_DEFS,
): ExtraSpecValidator {
  const compiled = defs.map(compile);
  const exact = new Map(compiled.map((c) => [c.def.name, c]));
  const namespaces = compiled
    .filter((c) => c.def.name.includes(':'))
    .map((c) => compile({ ...c.def, name: c.def.name.split(':', 1)[0] }).nameRe);
  return {
    validate(name, value) {
      const c = exact.get(name) ?? compiled.find((x) => x.nameRe.test(name));
      if (c) return checkValue(c, value);
      if (!name.includes(':')) return;
      const ns = name.split(':', 1)[0];
      if (namespaces.some((re) => re.test(ns)))
        throw fail(`extra spec '${name}' does not appear to be a valid extra spec.`);
    },
  };
}
