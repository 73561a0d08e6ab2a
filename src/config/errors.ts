// Configuration errors: one line saying what is wrong and where; callers print it and exit non-zero.
import { type FaultOptions, StartupError } from '../faults/fault.ts';

export interface ConfigErrorDetails {
  readonly group?: string;
  readonly option?: string;
  /** File path, `command line`, `environment …` or `default value`. */
  readonly source?: string;
  readonly line?: number;
}

export class ConfigError extends StartupError {
  readonly details: ConfigErrorDetails;
  constructor(message: string, details: ConfigErrorDetails = {}, opts?: FaultOptions) {
    super(message, 1, opts);
    this.details = details;
  }
}

/** `Invalid value for option X in group G (source): why`. */
export function invalidValue(group: string, option: string, source: string, why: string): ConfigError {
  return new ConfigError(`Invalid value for option ${option} in group ${group} (${source}): ${why}`, {
    group,
    option,
    source,
  });
}
