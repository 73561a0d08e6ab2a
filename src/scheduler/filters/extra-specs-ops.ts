// The small operator language of flavor extra specs matched against host or aggregate values
// (ComputeCapabilitiesFilter, AggregateInstanceExtraSpecsFilter). A requirement is
// "<op> <operand>…"; when its first word is no operator the whole text must equal the value.
//   =  (numerically at least)   ==  !=  >=  <=   (numeric)
//   s==  s!=  s<  s<=  s>  s>=                    (string, code point order)
//   <in> x          value contains x as a substring
//   <all-in> x y …  value contains every one
//   <or> a <or> b … value equals one of them
import { parseFloatStrict } from './utils.ts';

type Op = (value: string, operand: string) => boolean;

function numeric(cmp: (a: number, b: number) => boolean): Op {
  return (value, operand) => {
    const a = parseFloatStrict(value);
    const b = parseFloatStrict(operand);
    return a !== undefined && b !== undefined && cmp(a, b);
  };
}

const OPS: Readonly<Record<string, Op>> = Object.freeze({
  '=': numeric((a, b) => a >= b),
  '==': numeric((a, b) => a === b),
  '!=': numeric((a, b) => a !== b),
  '>=': numeric((a, b) => a >= b),
  '<=': numeric((a, b) => a <= b),
  's==': (a, b) => a === b,
  's!=': (a, b) => a !== b,
  's<': (a, b) => a < b,
  's<=': (a, b) => a <= b,
  's>': (a, b) => a > b,
  's>=': (a, b) => a >= b,
  '<in>': (a, b) => a.includes(b),
});

/** True when `value` satisfies the extra spec requirement `req`. */
export function matchesRequirement(value: string | null | undefined, req: string): boolean {
  const words = req.split(/\s+/).filter((w) => w !== '');
  const op = words.shift();
  const isKnown = op !== undefined && (op === '<or>' || op === '<all-in>' || Object.hasOwn(OPS, op));
  if (!isKnown) return value === req;
  if (value === null || value === undefined) return false;
  if (op === '<or>') {
    // "<or> a <or> b": every other word is an alternative.
    for (let i = 0; i < words.length; i += 2) if (words[i] === value) return true;
    return false;
  }
  if (words.length === 0) return false;
  if (op === '<all-in>') return words.every((w) => value.includes(w));
  return OPS[op](value, words[0]);
}
