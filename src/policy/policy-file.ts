// policy.yaml / policy.json overrides: a flat mapping of rule name → check string (what
// oslopolicy-sample-generator writes). YAML here is that subset: comments, quoted or plain keys and
// values, one rule per line.
import { readFileSync } from 'node:fs';
import { Invalid } from '../faults/fault.ts';

/** Reads one YAML scalar from the start of `s`: quoted ('' or "") or plain (up to `stop`). */
function scalar(s: string, stop: RegExp, where: string): { value: string; rest: string } {
  const t = s.trimStart();
  const q = t[0];
  if (q === "'" || q === '"') {
    for (let i = 1; i < t.length; i++) {
      if (q === "'" && t[i] === "'" && t[i + 1] === "'") {
        i++;
        continue;
      }
      if (q === '"' && t[i] === '\\') {
        i++;
        continue;
      }
      if (t[i] === q) {
        const body = t.slice(0, i + 1);
        const value = q === "'" ? body.slice(1, -1).replace(/''/g, "'") : (JSON.parse(body) as string);
        return { value, rest: t.slice(i + 1) };
      }
    }
    throw new Invalid(`${where}: unterminated quoted string`);
  }
  const m = stop.exec(t);
  return m
    ? { value: t.slice(0, m.index).trimEnd(), rest: t.slice(m.index) }
    : { value: t.trimEnd(), rest: '' };
}

export function parsePolicyText(text: string, file: string): ReadonlyMap<string, string> {
  const rules = new Map<string, string>();
  if (text.trimStart().startsWith('{')) {
    const data = JSON.parse(text) as Record<string, unknown>;
    for (const [k, v] of Object.entries(data)) {
      if (typeof v !== 'string') throw new Invalid(`${file}: rule ${k} must be a check string`);
      rules.set(k, v);
    }
    return rules;
  }
  text.split('\n').forEach((raw, idx) => {
    const where = `${file}:${idx + 1}`;
    const line = raw.trim();
    if (!line || line.startsWith('#') || line === '---') return;
    const key = scalar(line, /:(\s|$)/, where);
    if (!key.rest.startsWith(':')) throw new Invalid(`${where}: expected "rule": "check string"`);
    const value = scalar(key.rest.slice(1), /\s#/, where);
    const trailing = value.rest.trim();
    if (trailing && !trailing.startsWith('#')) throw new Invalid(`${where}: unexpected text after the value`);
    if (value.value === '|' || value.value === '>')
      throw new Invalid(`${where}: multi-line values are not supported`);
    rules.set(key.value, value.value);
  });
  return rules;
}

/** Reads a policy file; a missing file means no overrides (as oslo.policy treats the default one). */
export function readPolicyFile(path: string): ReadonlyMap<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  return parsePolicyText(text, path);
}
