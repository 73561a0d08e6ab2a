// One operation per guest at a time: each instance's operations run in the order they were asked
// for, whether the earlier ones succeeded or failed; different instances do not wait for each other.
export class OperationQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs fn after every earlier operation on the same instance has settled. */
  run<T>(uuid: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#tails.get(uuid) ?? Promise.resolve();
    const result = prev.then(fn, fn);
    const settled = result.catch(() => {});
    this.#tails.set(uuid, settled);
    void settled.then(() => {
      if (this.#tails.get(uuid) === settled) this.#tails.delete(uuid);
    });
    return result;
  }
}
