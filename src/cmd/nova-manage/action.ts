import type { CommandSpec, ParsedArgs } from '../args.ts';
import type { ManageContext } from './context.ts';

/** One `nova-manage <category> <action>`: its argument spec and what it does (returns the exit code). */
export interface Action {
  readonly spec: CommandSpec;
  run(ctx: ManageContext, args: ParsedArgs): Promise<number>;
}
