// A fixup turns old-style settings that are more than a rename into their current form (several
// old options into one new value, a value that needs rewriting). Fixups run after every option has
// its final value and before the conf is frozen, in the order of the list in legacy/index.ts.
export interface FixupContext {
  get(group: string, name: string): unknown;
  set(group: string, name: string, value: unknown): void;
  /** Whether a file, the environment or the command line set the option (under any of its names). */
  isSet(group: string, name: string): boolean;
  warn(msg: string): void;
}

export interface Fixup {
  readonly name: string;
  apply(ctx: FixupContext): void;
}
