// `$option`, `${option}`, `$group.option`, `${group.option}` and `$$` (a literal `$`; `\$` works
// too), as oslo.config's string.Template subclass reads them. Resolving a reference is the
// caller's job: `lookup` returns the referenced option's text, or undefined when no such option
// exists (the reference is then kept as written and `onUnknown` is told).
const REF_RE = /\$(?:(\$)|([_a-z][._a-z0-9]*)|\{([_a-z][._a-z0-9]*)\})/gi;

export function hasReferences(text: string): boolean {
  return text.includes('$');
}

export function interpolate(
  text: string,
  lookup: (ref: string) => string | undefined,
  onUnknown: (ref: string) => void,
): string {
  if (!hasReferences(text)) return text;
  const source = text.replaceAll('\\$', '$$$$');
  return source.replace(REF_RE, (whole: string, dollar?: string, bare?: string, braced?: string) => {
    if (dollar) return '$';
    const ref = (bare ?? braced) as string;
    const value = lookup(ref);
    if (value === undefined) {
      onUnknown(ref);
      return whole;
    }
    return value;
  });
}

/** How a referenced value reads inside another value (oslo: None is '', booleans are True/False). */
export function valueAsText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, string>)
      .map(([k, v]) => `${k}:${v}`)
      .join(',');
  }
  return String(value);
}
