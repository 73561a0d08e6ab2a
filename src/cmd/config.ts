// nova-ts config sample [--output-file F]: a commented nova.conf of every option.
import { writeFileSync } from 'node:fs';
import { generateSample, NOVA_REGISTRY } from '../config/index.ts';
import { parseArgs, str, UsageError } from './args.ts';

export async function run(argv: readonly string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb !== 'sample') {
    if (verb === undefined || verb === '--help' || verb === '-h') {
      process.stdout.write('usage: nova-ts config sample [--output-file FILE]\n');
      return verb === undefined ? 2 : 0;
    }
    throw new UsageError(`nova-ts config: error: unknown verb '${verb}' (choose from 'sample')`);
  }
  const args = parseArgs(
    {
      usage: 'nova-ts config sample',
      description:
        'Write a commented sample nova.conf of every option nova-ts knows (like oslo-config-generator).',
      flags: [{ name: '--output-file', metavar: 'FILE', help: 'Write to FILE instead of standard output.' }],
    },
    rest,
  );
  if (args === null) return 0;
  const text = generateSample(NOVA_REGISTRY);
  const out = str(args.output_file);
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  return 0;
}
