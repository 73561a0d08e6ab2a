// Tables the way Python's PrettyTable prints them (what nova-manage uses): borders of + - |, one
// space of padding, every column centred, header centred. Booleans print as Python does.

export type Cell = string | number | boolean | null | undefined;

const text = (c: Cell): string => {
  if (c === true) return 'True';
  if (c === false) return 'False';
  if (c === null || c === undefined) return 'None';
  return String(c);
};

/** Centres like Python's str.center: the extra space goes right when the padding is odd… mostly. */
function center(s: string, width: number): string {
  const total = width - s.length;
  if (total <= 0) return s;
  // CPython: left = total // 2 + (total & width & 1)
  const left = Math.floor(total / 2) + (total & width & 1);
  return ' '.repeat(left) + s + ' '.repeat(total - left);
}

export function prettyTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cells = rows.map((r) => r.map(text));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const line = (vals: readonly string[]) => `|${vals.map((v, i) => ` ${center(v, widths[i])} `).join('|')}|`;
  return [rule, line(headers), rule, ...cells.map(line), ...(cells.length > 0 ? [rule] : [])].join('\n');
}
