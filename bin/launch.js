// Starts a nova-ts command on Node 24 whatever `node` a shell finds first. The package's own Node
// (npm package `node`) runs .ts directly; an older system Node re-executes under it. Plain JS that
// Node 20 can parse: this file must not use TypeScript.
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(realpathSync(fileURLToPath(import.meta.url))));
const entry = join(root, 'src', 'cmd', 'main.ts');

export async function launch(command) {
  const args = [command, ...process.argv.slice(2)];
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 24 && process.features.typescript) {
    const { runMain } = await import(pathToFileURL(entry).href);
    await runMain(args);
    return;
  }
  const node24 = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(node24)) {
    console.error(`nova-ts needs Node 24 (found ${process.version}); run "npm install" in ${root} first.`);
    process.exit(1);
  }
  const child = spawn(node24, [entry, ...args], { stdio: 'inherit' });
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) =>
    process.exit(code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1)),
  );
}

// `nova-ts <command> …`: the first argument names the command.
export async function launchTop() {
  const [command, ...rest] = process.argv.slice(2);
  process.argv = [process.argv[0], process.argv[1], ...rest];
  await launch(command ?? '--help');
}
