// Warnings about what the files contain: options under old names, options nova-ts ignores,
// options and groups nobody registered. None of these stop a service from starting.
import type { IniDocument } from './ini.ts';
import { normalizeGroup, type Registry } from './registry.ts';

export function diagnoseDocuments(
  registry: Registry,
  docs: readonly IniDocument[],
  warn: (msg: string) => void,
): void {
  const unknownGroups = new Set<string>();
  for (const doc of docs) {
    for (const a of doc.assignments) {
      const where = `(${doc.file})`;
      const m = registry.meaning(a.section, a.key);
      if (!m) {
        if (registry.knowsSection(a.section)) {
          warn(`Unknown option "${a.key}" in group "${a.section}" ${where} is ignored`);
        } else if (!unknownGroups.has(normalizeGroup(a.section))) {
          unknownGroups.add(normalizeGroup(a.section));
          warn(`Unknown group "${a.section}" ${where} is ignored with all its options`);
        }
      } else if (m.kind === 'ignored') {
        warn(
          `Option "${a.key}" in group "${a.section}" ${where} is not used by nova-ts and is ignored: ${m.ignored.reason}`,
        );
      } else {
        if (m.kind === 'deprecated') {
          warn(
            `Option "${a.key}" in group "${a.section}" ${where} is deprecated; ` +
              `use option "${m.opt.name}" in group "${m.opt.group}" instead`,
          );
        }
        if (m.opt.deprecatedForRemoval) {
          warn(
            `Option "${m.opt.name}" in group "${m.opt.group}" ${where} is deprecated for removal: ${m.opt.deprecatedForRemoval}`,
          );
        }
      }
    }
  }
}
