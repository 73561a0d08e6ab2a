import type { Microversion } from '../microversion.ts';
import type { JsonSchema } from './validate.ts';

/** The schema of the newest entry the version reaches (entries newest first). */
export function byVersion(list: readonly (readonly [string, JsonSchema])[], mv: Microversion): JsonSchema {
  for (const [v, s] of list) if (mv.atLeast(v)) return s;
  return list[list.length - 1][1];
}
