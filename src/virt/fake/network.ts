// The fake hypervisors' shared "network": which FakeDriver serves which host, so guests can move
// between fake hosts of one process (live migration hands the guest over, cold migration checks
// the source really gave up its disks). One object is passed to every FakeDriver that should see
// the others; drivers without one work alone.
import type { FakeDriver } from './driver.ts';

export class FakeHypervisorNetwork {
  readonly #hosts = new Map<string, FakeDriver>();

  /** Puts a driver on the network under its host name (idempotent for the same driver). */
  attach(host: string, driver: FakeDriver): void {
    const current = this.#hosts.get(host);
    if (current !== undefined && current !== driver)
      throw new Error(`Fake host ${host} is already served by another FakeDriver on this network.`);
    this.#hosts.set(host, driver);
  }

  /** Takes a driver off the network (only if it is the one serving the host). */
  detach(host: string, driver: FakeDriver): void {
    if (this.#hosts.get(host) === driver) this.#hosts.delete(host);
  }

  driverOf(host: string): FakeDriver | undefined {
    return this.#hosts.get(host);
  }

  hosts(): string[] {
    return [...this.#hosts.keys()].sort();
  }
}
