// `nova-ts <command>` and the upstream-named binaries (nova-api, nova-manage, …) all land here.
// Every failure a user can cause ends as one clear line and a non-zero exit, never a stack dump.
import { StartupError } from '../faults/fault.ts';
import { UsageError } from './args.ts';
import { COMMANDS, type Command } from './commands.ts';

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  const lines = COMMANDS.filter((c) => !c.hidden).map((c) => `  ${c.name.padEnd(width)}${c.summary}`);
  return [
    'usage: nova-ts <command> [options]',
    '',
    'OpenStack Compute (Nova) in TypeScript. Commands:',
    ...lines,
    '',
    'Upstream binary names work too: nova-api, nova-api-metadata, nova-conductor, nova-scheduler, nova-compute,',
    'nova-novncproxy, nova-serialproxy, nova-manage. Every command takes --help.',
    '',
  ].join('\n');
}

function find(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

export async function runMain(args: readonly string[]): Promise<void> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topHelp());
    return;
  }
  if (name === '--version' || name === 'version') {
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as {
      version: string;
    };
    process.stdout.write(`${pkg.version}\n`);
    return;
  }
  const cmd = find(name);
  if (!cmd) {
    process.stderr.write(`nova-ts: unknown command '${name}'. Run "nova-ts --help" for the list.\n`);
    process.exit(2);
  }
  try {
    const code = await cmd.run(rest);
    if (typeof code === 'number') process.exitCode = code;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(err.exitCode);
    }
    if (err instanceof StartupError) {
      process.stderr.write(`${cmd.name}: ${err.message}\n`);
      process.exit(err.exitCode);
    }
    const e = err as Error;
    process.stderr.write(`${cmd.name}: an unexpected error occurred: ${e?.message ?? String(err)}\n`);
    if (process.env.NOVA_TS_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
    process.exit(255);
  }
}

// Run directly: `node src/cmd/main.ts <command> …` (npm start, the bin launcher on Node 20).
if (import.meta.main) await runMain(process.argv.slice(2));
