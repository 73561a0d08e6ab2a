// Defaults that depend on the machine: its host name and its first non-loopback IPv4 address.
import { hostname, networkInterfaces } from 'node:os';

export interface HostFacts {
  readonly hostname: string;
  readonly myIp: string;
}

/** First external IPv4 address in interface order, else 127.0.0.1. */
export function firstIpv4(interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces()): string {
  for (const addrs of Object.values(interfaces)) {
    for (const a of addrs ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  return '127.0.0.1';
}

export function detectHostFacts(): HostFacts {
  return { hostname: hostname(), myIp: firstIpv4() };
}
