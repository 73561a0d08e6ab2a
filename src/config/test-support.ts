// Helpers for the config tests: temporary config files, fixed host facts.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { HostFacts } from './host-facts.ts';

export const HOST: HostFacts = Object.freeze({ hostname: 'node1', myIp: '192.0.2.10' });

/** Writes `files` (relative path → text) under a new temporary directory; returns that directory. */
export function tempTree(files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'nova-ts-config-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return root;
}
