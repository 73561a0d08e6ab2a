// oslo.config's INI dialect. Rules (oslo_config/iniparser.py):
// - `[section]` starts a section; names are kept as written (normalising is the registry's job).
// - `key = value` or `key: value`, whichever separator comes first; key and value are trimmed.
// - A value wrapped in one pair of matching quotes ('…' or "…") loses that pair, as oslo does.
// - Lines starting with `#` or `;` are comments; there are no inline comments.
// - An indented line continues the previous value (joined with a newline); a blank line ends it.
// - A key may repeat; every occurrence is kept, in order.
import { ConfigError } from './errors.ts';

export interface IniAssignment {
  /** Section as written in the file. */
  readonly section: string;
  readonly key: string;
  readonly value: string;
  /** 1-based line of the key. */
  readonly line: number;
}

export interface IniDocument {
  readonly file: string;
  readonly assignments: readonly IniAssignment[];
}

interface Pending {
  key: string;
  parts: string[];
  line: number;
}

function parseError(file: string, line: number, why: string, text: string): ConfigError {
  return new ConfigError(`Cannot parse ${file} at line ${line}: ${why}: ${JSON.stringify(text)}`, {
    source: file,
    line,
  });
}

function splitKeyValue(text: string): { key: string; value: string } | undefined {
  const colon = text.indexOf(':');
  const equal = text.indexOf('=');
  if (colon < 0 && equal < 0) return undefined;
  const at = colon < 0 || (equal >= 0 && equal < colon) ? equal : colon;
  let value = text.slice(at + 1).trim();
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) {
    value = value.slice(1, -1);
  }
  return { key: text.slice(0, at).trim(), value };
}

export function parseIni(text: string, file: string): IniDocument {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const out: IniAssignment[] = [];
  let section: string | undefined;
  let pending: Pending | undefined;
  const flush = (): void => {
    if (!pending) return;
    if (section === undefined) {
      throw parseError(file, pending.line, 'a section must be started before an assignment', pending.key);
    }
    out.push(
      Object.freeze({ section, key: pending.key, value: pending.parts.join('\n'), line: pending.line }),
    );
    pending = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].trimEnd();
    if (line === '') {
      flush();
      continue;
    }
    if (line[0] === ' ' || line[0] === '\t') {
      const body = line.trimStart();
      if (pending) pending.parts.push(body);
      else if (body[0] === '#' || body[0] === ';')
        continue; // an indented comment with nothing to continue
      else throw parseError(file, lineNo, 'unexpected continuation line', line);
      continue;
    }
    flush();
    if (line[0] === '[') {
      if (!line.endsWith(']')) throw parseError(file, lineNo, 'a section must end with ]', line);
      if (line.length <= 2) throw parseError(file, lineNo, 'empty section name', line);
      section = line.slice(1, -1);
    } else if (line[0] === '#' || line[0] === ';') {
      // comment
    } else {
      const kv = splitKeyValue(line);
      if (!kv) throw parseError(file, lineNo, "no '=' or ':' in assignment", line);
      if (!kv.key) throw parseError(file, lineNo, 'empty key', line);
      pending = { key: kv.key, parts: [kv.value], line: lineNo };
    }
  }
  flush();
  return Object.freeze({ file, assignments: Object.freeze(out) });
}
