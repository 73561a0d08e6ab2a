// Counts running handlers so a listener can stop consuming and then wait for the ones in progress.
export class InFlight {
  #running = 0;
  #waiters: (() => void)[] = [];

  get size(): number {
    return this.#running;
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.#running++;
    return work.finally(() => {
      this.#running--;
      if (this.#running === 0) for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** Resolves when nothing is running (at once if nothing is). */
  idle(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
