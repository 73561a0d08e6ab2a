// Failure injection for the fake virt driver: tests make the next call of an operation fail (once,
// queued), or every call matching a predicate fail until cleared.
import type { DriverInstance } from '../driver.ts';
import { InjectedFailure } from '../errors.ts';

/** Decides whether a call fails; `instance` is undefined for host-level operations. */
export type FailurePredicate = (instance: DriverInstance | undefined) => boolean;

interface Standing {
  readonly predicate: FailurePredicate;
  readonly error: Error | undefined;
}

export class FailureInjector {
  readonly #known: ReadonlySet<string>;
  readonly #once = new Map<string, (Error | undefined)[]>();
  readonly #always = new Map<string, Standing[]>();

  constructor(operations: readonly string[]) {
    this.#known = new Set(operations);
  }

  #check(operation: string): void {
    if (!this.#known.has(operation))
      throw new Error(
        `Unknown fake driver operation '${operation}'. Known: ${[...this.#known].sort().join(', ')}.`,
      );
  }

  failNext(operation: string, error?: Error): void {
    this.#check(operation);
    const q = this.#once.get(operation) ?? [];
    q.push(error);
    this.#once.set(operation, q);
  }

  failAlways(operation: string, predicate: FailurePredicate = () => true, error?: Error): void {
    this.#check(operation);
    const list = this.#always.get(operation) ?? [];
    list.push({ predicate, error });
    this.#always.set(operation, list);
  }

  /** Forgets injected failures of one operation, or of all. */
  clear(operation?: string): void {
    if (operation === undefined) {
      this.#once.clear();
      this.#always.clear();
      return;
    }
    this.#once.delete(operation);
    this.#always.delete(operation);
  }

  /** The error this call must fail with, if any (a once-failure is used up). */
  take(operation: string, instance: DriverInstance | undefined): Error | undefined {
    const q = this.#once.get(operation);
    if (q !== undefined && q.length > 0) {
      const e = q.shift();
      if (q.length === 0) this.#once.delete(operation);
      return e ?? defaultError(operation, instance);
    }
    for (const s of this.#always.get(operation) ?? [])
      if (s.predicate(instance)) return s.error ?? defaultError(operation, instance);
    return undefined;
  }
}

const defaultError = (operation: string, instance: DriverInstance | undefined): Error =>
  new InjectedFailure(
    operation,
    `Injected failure of ${operation}${instance ? ` for instance ${instance.uuid}` : ''}.`,
  );
