// A commented sample nova.conf in the shape oslo-config-generator writes: per group a header,
// per option its help wrapped to 70 columns, its type, limits, choices, old names and a
// `#name = default` line.
import { NOVA_REGISTRY } from './options/index.ts';
import type { RegisteredGroup, RegisteredOpt, Registry } from './registry.ts';

const WIDTH = 70;

const TYPE_NAMES: Readonly<Record<RegisteredOpt['type'], string>> = {
  string: 'string value',
  path: 'string value',
  int: 'integer value',
  float: 'floating point value',
  bool: 'boolean value',
  list: 'list value',
  multistring: 'multi valued',
  port: 'port value',
  uri: 'URI value',
  ip: 'IP address value',
  hostaddress: 'host address value',
  dict: 'dict value',
};

/** Greedy word wrap; existing line breaks start new lines. */
export function wrapText(text: string, width = WIDTH): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}

const comment = (lines: readonly string[]): string[] => lines.map((l) => (l ? `# ${l}` : '#'));

function defaultText(v: unknown): string {
  if (v === undefined) return '<None>';
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.join(',');
  if (typeof v === 'object' && v !== null) {
    return Object.entries(v)
      .map(([k, x]) => `${k}:${String(x)}`)
      .join(',');
  }
  return String(v);
}

function valueLines(opt: RegisteredOpt): string[] {
  if (opt.sampleDefault !== undefined) return [`#${opt.name} = ${opt.sampleDefault}`];
  if (opt.computedDefault) return [`#${opt.name} = <None>`];
  if (opt.type === 'multistring') {
    const items = (opt.default as readonly string[] | undefined) ?? [];
    return items.length === 0 ? [`#${opt.name} =`] : items.map((i) => `#${opt.name} = ${i}`);
  }
  return [`#${opt.name} = ${defaultText(opt.default)}`.trimEnd()];
}

function optionBlock(opt: RegisteredOpt): string[] {
  const lines: string[] = ['#', ...comment(wrapText(`${opt.help} (${TYPE_NAMES[opt.type]})`))];
  if (opt.min !== undefined && opt.type !== 'port') lines.push(`# Minimum value: ${opt.min}`);
  if (opt.max !== undefined && opt.type !== 'port') lines.push(`# Maximum value: ${opt.max}`);
  if (opt.choices)
    lines.push(
      ...comment(wrapText(`Allowed values: ${opt.choices.map((c) => (c === '' ? "''" : c)).join(', ')}`)),
    );
  if (opt.itemChoices) lines.push(...comment(wrapText(`Allowed items: ${opt.itemChoices.join(', ')}`)));
  for (const d of opt.deprecatedNames) lines.push(`# Deprecated group/name - [${d.group}]/${d.name}`);
  if (opt.deprecatedForRemoval) {
    lines.push(...comment(wrapText(`This option is deprecated for removal: ${opt.deprecatedForRemoval}.`)));
  }
  if (opt.mutable) lines.push('# Note: This option can be changed without restarting.');
  if (opt.secret) lines.push('# This value is secret.');
  lines.push(...valueLines(opt));
  return lines;
}

function groupBlock(group: RegisteredGroup): string[] {
  const lines = [`[${group.name}]`, '', ...comment(wrapText(`From nova-ts: ${group.title}. ${group.help}`))];
  for (const opt of group.opts) lines.push('', ...optionBlock(opt));
  return lines;
}

/** The sample configuration text (what `nova-ts config sample` prints). */
export function generateSample(registry: Registry = NOVA_REGISTRY): string {
  const head = comment(
    wrapText('Sample nova.conf for nova-ts. Every option is shown commented out with its default.'),
  );
  const parts = [head.join('\n'), ...registry.groups.map((g) => groupBlock(g).join('\n'))];
  return `${parts.join('\n\n\n')}\n`;
}
