// oslo.policy's check language → a small immutable tree.
//   check   := '@' | '!' | 'rule:' NAME | KIND ':' MATCH | QUOTED ':' MATCH
//   expr    := term ('or' term)*      term := factor ('and' factor)*
//   factor  := 'not' factor | '(' expr ')' | check
// An empty check string means "always" (as oslo.policy treats "").
import { Invalid } from '../faults/fault.ts';

export type Check =
  | { readonly kind: 'true' }
  | { readonly kind: 'false' }
  | { readonly kind: 'rule'; readonly name: string }
  | { readonly kind: 'role'; readonly role: string }
  /** `left:right`: creds[left] must match `right` (with %(target)s substituted). */
  | { readonly kind: 'generic'; readonly left: string; readonly right: string }
  /** `'literal':right` or `True:right`: the literal must equal the substituted right side. */
  | { readonly kind: 'literal'; readonly value: string; readonly right: string }
  | { readonly kind: 'not'; readonly check: Check }
  | { readonly kind: 'and'; readonly checks: readonly Check[] }
  | { readonly kind: 'or'; readonly checks: readonly Check[] };

const TRUE: Check = Object.freeze({ kind: 'true' });
const FALSE: Check = Object.freeze({ kind: 'false' });

/** As oslo.policy: split on whitespace, then peel leading '(' and trailing ')' off each word. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let w = word;
    while (w.startsWith('(')) {
      tokens.push('(');
      w = w.slice(1);
    }
    const closing: string[] = [];
    // A trailing ')' closes a group unless it ends a %(key)s substitution (then 's' ends the word).
    while (w.endsWith(')')) {
      closing.push(')');
      w = w.slice(0, -1);
    }
    if (w) tokens.push(w);
    tokens.push(...closing);
  }
  return tokens;
}

function parseCheck(token: string): Check {
  if (token === '@') return TRUE;
  if (token === '!') return FALSE;
  const colon = token.indexOf(':');
  if (colon <= 0) throw new Invalid(`Invalid policy check '${token}': expected kind:match, '@' or '!'`);
  const left = token.slice(0, colon);
  const right = token.slice(colon + 1);
  if (left === 'rule') return Object.freeze({ kind: 'rule', name: right });
  if (left === 'role') return Object.freeze({ kind: 'role', role: right.toLowerCase() });
  const quoted = /^(['"])(.*)\1$/.exec(left);
  if (quoted) return Object.freeze({ kind: 'literal', value: quoted[2], right });
  if (left === 'True' || left === 'False') return Object.freeze({ kind: 'literal', value: left, right });
  return Object.freeze({ kind: 'generic', left, right });
}

export function parseCheckString(text: string): Check {
  const tokens = tokenize(text);
  if (tokens.length === 0) return TRUE;
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (why: string): never => {
    throw new Invalid(`Invalid policy check string '${text}': ${why}`);
  };

  const factor = (): Check => {
    const t = tokens[pos++];
    if (t === undefined) return fail('unexpected end');
    if (t === 'not') return Object.freeze({ kind: 'not', check: factor() });
    if (t === '(') {
      const inner = expr();
      if (tokens[pos++] !== ')') fail("missing ')'");
      return inner;
    }
    if (t === ')' || t === 'and' || t === 'or') return fail(`unexpected '${t}'`);
    return parseCheck(t);
  };
  const term = (): Check => {
    const checks = [factor()];
    while (peek() === 'and') {
      pos++;
      checks.push(factor());
    }
    return checks.length === 1 ? checks[0] : Object.freeze({ kind: 'and', checks: Object.freeze(checks) });
  };
  const expr = (): Check => {
    const checks = [term()];
    while (peek() === 'or') {
      pos++;
      checks.push(term());
    }
    return checks.length === 1 ? checks[0] : Object.freeze({ kind: 'or', checks: Object.freeze(checks) });
  };

  const tree = expr();
  if (pos !== tokens.length) fail(`unexpected '${tokens[pos]}'`);
  return tree;
}
