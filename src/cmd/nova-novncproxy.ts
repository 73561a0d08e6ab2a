import { StartupError } from '../faults/fault.ts';

// The console proxy comes with the QEMU driver (it proxies to guests' VNC servers). Until then the
// binary exists under its upstream name and says plainly that it cannot run yet.
export async function run(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      'usage: nova-novncproxy [--config-file PATH]\n\nThe noVNC console proxy (port 6080).\n',
    );
    return 0;
  }
  throw new StartupError(
    'nova-novncproxy is not available in this build yet: it arrives with the QEMU driver.',
    3,
  );
}
