// The identity service's state: its database, Fernet keys, clock and the caches token validation
// reads. Every write through the identity API bumps `generation`, which invalidates the caches at
// once in this process; writes by other processes (a CLI bootstrap) are seen after cacheTtlMs.
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { Database } from '../db/connect.ts';
import type { IdentityDb } from '../db/tables/identity-db.ts';
import type { KeyRepository } from './tokens/key-repository.ts';

export interface IdentityCoreOptions {
  readonly db: Database<IdentityDb>;
  readonly keys: KeyRepository;
  readonly clock: Clock;
  readonly log: Logger;
  /** Seconds a new token is valid ([identity] token_expiration). */
  readonly tokenExpiration: number;
  /** How long validation may reuse what it read from the database (ms, default 5000). */
  readonly cacheTtlMs?: number;
}

interface Entry<T> {
  readonly value: T;
  readonly gen: number;
  readonly at: number;
}

/** A small cache whose entries die on a generation bump or after a TTL. */
export class GenCache<T> {
  readonly #map = new Map<string, Entry<T>>();
  readonly #core: IdentityCore;
  readonly #max: number;
  constructor(core: IdentityCore, max = 10_000) {
    this.#core = core;
    this.#max = max;
  }
  get(key: string): T | undefined {
    const e = this.#map.get(key);
    if (!e) return undefined;
    if (e.gen !== this.#core.generation || this.#core.clock.now().getTime() - e.at > this.#core.cacheTtlMs) {
      this.#map.delete(key);
      return undefined;
    }
    return e.value;
  }
  set(key: string, value: T): void {
    if (this.#map.size >= this.#max) this.#map.clear();
    this.#map.set(key, { value, gen: this.#core.generation, at: this.#core.clock.now().getTime() });
  }
}

export class IdentityCore {
  readonly db: Database<IdentityDb>;
  readonly keys: KeyRepository;
  readonly clock: Clock;
  readonly log: Logger;
  readonly tokenExpiration: number;
  readonly cacheTtlMs: number;
  #generation = 0;

  constructor(o: IdentityCoreOptions) {
    this.db = o.db;
    this.keys = o.keys;
    this.clock = o.clock;
    this.log = o.log;
    this.tokenExpiration = o.tokenExpiration;
    this.cacheTtlMs = o.cacheTtlMs ?? 5000;
  }

  get generation(): number {
    return this.#generation;
  }

  /** Call after any write that can change what a token validates to. */
  changed(): void {
    this.#generation++;
  }

  now(): Date {
    return this.clock.now();
  }
}
