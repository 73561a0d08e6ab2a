// A small argparse: `--flag value`, `--flag=value`, boolean switches, positionals, generated --help.
// Usage errors exit 2 as argparse does.

export interface FlagSpec {
  readonly name: string; // e.g. '--cell_uuid'
  readonly aliases?: readonly string[]; // e.g. ['--cell-uuid']
  readonly dest?: string; // key in the result; default: name without dashes, '-' → '_'
  readonly metavar?: string;
  readonly help: string;
  readonly boolean?: boolean;
  readonly repeat?: boolean;
  readonly required?: boolean;
}

export interface PositionalSpec {
  readonly name: string;
  readonly help: string;
  readonly optional?: boolean;
}

export interface CommandSpec {
  readonly usage: string; // e.g. 'nova-manage cell_v2 create_cell'
  readonly description: string;
  readonly flags?: readonly FlagSpec[];
  readonly positionals?: readonly PositionalSpec[];
}

export type ParsedArgs = Record<string, string | boolean | string[] | undefined>;

export class UsageError extends Error {
  readonly exitCode = 2;
}

const destOf = (f: FlagSpec): string => f.dest ?? f.name.replace(/^-+/, '').replace(/-/g, '_');

export function formatHelp(spec: CommandSpec): string {
  const flags = spec.flags ?? [];
  const pos = spec.positionals ?? [];
  const synopsis = [
    spec.usage,
    '[-h]',
    ...flags.map((f) => {
      const s = f.boolean ? f.name : `${f.name} ${f.metavar ?? `<${destOf(f)}>`}`;
      return f.required ? s : `[${s}]`;
    }),
    ...pos.map((p) => (p.optional ? `[${p.name}]` : p.name)),
  ].join(' ');
  const lines = [`usage: ${synopsis}`, '', spec.description];
  if (pos.length > 0) {
    lines.push('', 'positional arguments:');
    for (const p of pos) lines.push(`  ${p.name.padEnd(28)}${p.help}`);
  }
  lines.push('', 'options:', `  ${'-h, --help'.padEnd(28)}show this help message and exit`);
  for (const f of flags) {
    const names = [f.name, ...(f.aliases ?? [])].join(', ');
    const left = f.boolean ? names : `${names} ${f.metavar ?? `<${destOf(f)}>`}`;
    lines.push(
      left.length >= 28 ? `  ${left}\n  ${''.padEnd(28)}${f.help}` : `  ${left.padEnd(28)}${f.help}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Parses argv against spec; returns null when --help was asked (help already printed). */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs | null {
  const flags = spec.flags ?? [];
  const byName = new Map<string, FlagSpec>();
  for (const f of flags) for (const n of [f.name, ...(f.aliases ?? [])]) byName.set(n, f);
  const out: ParsedArgs = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(formatHelp(spec));
      return null;
    }
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const f = byName.get(name) ?? byName.get(name.replace(/_/g, '-')) ?? byName.get(name.replace(/-/g, '_'));
    if (!f) throw new UsageError(`${spec.usage}: error: unrecognized arguments: ${arg}`);
    const dest = destOf(f);
    if (f.boolean) {
      if (eq > 0) throw new UsageError(`${spec.usage}: error: argument ${f.name}: ignored explicit argument`);
      out[dest] = true;
      continue;
    }
    let value: string | undefined = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined)
      throw new UsageError(`${spec.usage}: error: argument ${f.name}: expected one argument`);
    if (f.repeat) {
      const prev = out[dest];
      out[dest] = [...(Array.isArray(prev) ? prev : []), value];
    } else {
      out[dest] = value;
    }
    value = undefined;
  }
  for (const f of flags) {
    if (f.required && out[destOf(f)] === undefined) {
      throw new UsageError(`${spec.usage}: error: the following arguments are required: ${f.name}`);
    }
  }
  const pos = spec.positionals ?? [];
  if (positionals.length > pos.length) {
    throw new UsageError(
      `${spec.usage}: error: unrecognized arguments: ${positionals.slice(pos.length).join(' ')}`,
    );
  }
  pos.forEach((p, idx) => {
    if (positionals[idx] !== undefined) out[p.name] = positionals[idx];
    else if (!p.optional)
      throw new UsageError(`${spec.usage}: error: the following arguments are required: ${p.name}`);
  });
  return out;
}

export const str = (v: ParsedArgs[string]): string | undefined => (typeof v === 'string' ? v : undefined);
