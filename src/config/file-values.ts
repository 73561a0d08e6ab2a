// Finding an option's text in the parsed files, the way oslo.config does: files are searched from
// the last to the first, and within one file the current name beats the deprecated ones. The last
// occurrence of a key wins; a multistring option collects every occurrence from every file, under
// any of its names, in file and line order.
import type { IniAssignment, IniDocument } from './ini.ts';
import { normalizeGroup, type RegisteredOpt } from './registry.ts';
import type { RawValue } from './sources.ts';

export interface FileIndex {
  readonly file: string;
  /** normalised section → key → occurrences in line order */
  readonly sections: ReadonlyMap<string, ReadonlyMap<string, readonly IniAssignment[]>>;
}

export function indexDocument(doc: IniDocument): FileIndex {
  const sections = new Map<string, Map<string, IniAssignment[]>>();
  for (const a of doc.assignments) {
    const group = normalizeGroup(a.section);
    let keys = sections.get(group);
    if (!keys) {
      keys = new Map();
      sections.set(group, keys);
    }
    const list = keys.get(a.key);
    if (list) list.push(a);
    else keys.set(a.key, [a]);
  }
  return { file: doc.file, sections };
}

function occurrences(index: FileIndex, group: string, name: string): readonly IniAssignment[] | undefined {
  return index.sections.get(group)?.get(name);
}

function singleValue(opt: RegisteredOpt, files: readonly FileIndex[]): RawValue | undefined {
  const names = [{ group: opt.group, name: opt.name }, ...opt.deprecatedNames];
  for (let i = files.length - 1; i >= 0; i--) {
    for (const [n, name] of names.entries()) {
      const found = occurrences(files[i], name.group, name.name);
      if (!found) continue;
      const last = found[found.length - 1];
      const via = n === 0 ? undefined : { group: last.section, name: last.key };
      return { texts: [last.value], source: { kind: 'file', file: files[i].file, line: last.line, via } };
    }
  }
  return undefined;
}

function multiValue(opt: RegisteredOpt, files: readonly FileIndex[]): RawValue | undefined {
  const names = [{ group: opt.group, name: opt.name }, ...opt.deprecatedNames];
  const texts: string[] = [];
  let first: IniAssignment | undefined;
  let firstFile = '';
  for (const file of files) {
    const found = names
      .flatMap((n) => occurrences(file, n.group, n.name) ?? [])
      .sort((a, b) => a.line - b.line);
    for (const a of found) {
      texts.push(a.value);
      if (!first) {
        first = a;
        firstFile = file.file;
      }
    }
  }
  if (!first) return undefined;
  return { texts, source: { kind: 'file', file: firstFile, line: first.line } };
}

export function fileValue(opt: RegisteredOpt, files: readonly FileIndex[]): RawValue | undefined {
  return opt.type === 'multistring' ? multiValue(opt, files) : singleValue(opt, files);
}
