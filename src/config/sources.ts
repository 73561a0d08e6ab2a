// Where a value came from, and the raw (uninterpolated, unconverted) text it had there.
// Precedence, lowest first: default < config files (in order; last wins) < environment < command line.
import type { OptName } from './option-types.ts';

export type ValueSource =
  | { readonly kind: 'default' }
  | { readonly kind: 'file'; readonly file: string; readonly line: number; readonly via?: OptName }
  | { readonly kind: 'env'; readonly variable: string }
  | { readonly kind: 'cli' };

/** Text found for one option: one entry for single-valued options, every occurrence for multistring. */
export interface RawValue {
  readonly texts: readonly string[];
  readonly source: ValueSource;
}

export function describeSource(source: ValueSource): string {
  switch (source.kind) {
    case 'default':
      return 'default value';
    case 'file':
      return source.via ? `${source.file}, as ${source.via.name} in group ${source.via.group}` : source.file;
    case 'env':
      return `environment variable ${source.variable}`;
    case 'cli':
      return 'command line';
  }
}
