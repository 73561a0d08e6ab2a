// Running iproute2 (`ip`) and friends for the data plane: argument lists, never a shell; a failure
// is one typed error with the command and its stderr.
import { execFile } from 'node:child_process';
import { existsSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { tapName, twinTapName } from './names.ts';

export class DataplaneCommandError extends Error {
  readonly stderr: string;
  constructor(cmd: readonly string[], stderr: string) {
    super(`${cmd.join(' ')}: ${stderr.trim().split('\n')[0] ?? 'failed'}`);
    this.name = 'DataplaneCommandError';
    this.stderr = stderr;
  }
}

export function run(cmd: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      [...args],
      { timeout: 30_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        if (err) reject(new DataplaneCommandError([cmd, ...args], String(stderr) || err.message));
        else resolve(String(stdout));
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

export const ip = (...args: string[]): Promise<string> => run('ip', args);

/** `ip netns exec NS cmd args…` */
export const inNetns = (ns: string, cmd: string, ...args: string[]): Promise<string> =>
  run('ip', ['netns', 'exec', ns, cmd, ...args]);

export async function linkExists(name: string, ns?: string): Promise<boolean> {
  try {
    await (ns ? inNetns(ns, 'ip', 'link', 'show', name) : ip('link', 'show', name));
    return true;
  } catch {
    return false;
  }
}

/**
 * The tap a port's guest uses: tap<id[:11]>, or its live-migration twin while that one exists (read
 * from /sys, no command: the agent asks for every local port at every pass).
 */
export function portTap(portId: string): string | null {
  const tap = tapName(portId);
  if (existsSync(`/sys/class/net/${tap}`)) return tap;
  const alt = twinTapName(tap);
  return existsSync(`/sys/class/net/${alt}`) ? alt : null;
}

/** The bridge a device is plugged into ('' when none). */
export function bridgeOf(dev: string): string {
  try {
    return basename(readlinkSync(`/sys/class/net/${dev}/master`));
  } catch {
    return '';
  }
}

export async function netnsExists(ns: string): Promise<boolean> {
  const out = await ip('netns', 'list').catch(() => '');
  return out.split('\n').some((l) => l.split(' ')[0] === ns);
}

/** A Linux bridge, up, with no address (guests' traffic never touches the host's routing). */
export async function ensureBridge(name: string): Promise<void> {
  if (!(await linkExists(name))) {
    await ip('link', 'add', name, 'type', 'bridge').catch(async (err) => {
      if (!(await linkExists(name))) throw err;
    });
    await run('sysctl', ['-qw', `net.ipv6.conf.${name}.disable_ipv6=1`]).catch(() => {});
  }
  await ip('link', 'set', name, 'up');
}

export async function ensureNetns(ns: string): Promise<void> {
  if (!(await netnsExists(ns)))
    await ip('netns', 'add', ns).catch(async (err) => {
      if (!(await netnsExists(ns))) throw err;
    });
  await inNetns(ns, 'ip', 'link', 'set', 'lo', 'up');
}

export async function deleteLink(name: string): Promise<void> {
  if (await linkExists(name)) await ip('link', 'del', name).catch(() => {});
}

export async function deleteNetns(ns: string): Promise<void> {
  if (await netnsExists(ns)) await ip('netns', 'del', ns).catch(() => {});
}

/** Plugs a host device into a bridge and brings it up. */
export async function plugIntoBridge(dev: string, bridge: string): Promise<void> {
  await ip('link', 'set', dev, 'master', bridge);
  await ip('link', 'set', dev, 'up');
}

/** A veth pair: `hostEnd` on the bridge, `nsEnd` moved into ns (with the given MAC). */
export async function ensureVethIntoNetns(
  hostEnd: string,
  nsEnd: string,
  ns: string,
  bridge: string,
  mac?: string,
): Promise<void> {
  if (!(await linkExists(nsEnd, ns))) {
    await deleteLink(hostEnd);
    await ip('link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', nsEnd);
    if (mac) await ip('link', 'set', nsEnd, 'address', mac);
    await ip('link', 'set', nsEnd, 'netns', ns);
  }
  await plugIntoBridge(hostEnd, bridge);
  await inNetns(ns, 'ip', 'link', 'set', nsEnd, 'up');
}
