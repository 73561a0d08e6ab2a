// Pulls oslo.config's file options out of a command line: --config-file X, --config-file=X,
// --config-dir X, --config-dir=X (each repeatable). Everything else is returned untouched, in order.
import { ConfigError } from './errors.ts';

export interface CliConfigArgs {
  readonly configFiles: readonly string[];
  readonly configDirs: readonly string[];
  readonly rest: readonly string[];
}

const FLAGS = { '--config-file': 'configFiles', '--config-dir': 'configDirs' } as const;
type Flag = keyof typeof FLAGS;

const isFlag = (s: string): s is Flag => Object.hasOwn(FLAGS, s);

export function parseCliConfigArgs(argv: readonly string[]): CliConfigArgs {
  const found = { configFiles: [] as string[], configDirs: [] as string[] };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!isFlag(flag)) {
      rest.push(arg);
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value === '') throw new ConfigError(`${flag} needs a path`);
    found[FLAGS[flag]].push(value);
  }
  return Object.freeze({
    configFiles: Object.freeze(found.configFiles),
    configDirs: Object.freeze(found.configDirs),
    rest: Object.freeze(rest),
  });
}
