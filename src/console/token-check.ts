// The console proxies' token check. The API stored the token's SHA-256 in the instance's cell
// database; a proxy does not know that cell, so it asks each cell database in turn. A token opens
// one connection: expired → refused (and its row removed), another proxy's type → refused (the row
// stays for the right proxy), already used → refused. Upstream answers InvalidToken (401).
import type { Clock } from '../common/clock.ts';
import type { DbHandle } from '../db/connect.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { Fault } from '../faults/fault.ts';
import * as consoleTokens from '../objects/console-auth-token.ts';

export type RefusalReason = 'missing' | 'unknown' | 'expired' | 'used' | 'wrong_type';

/** Why a console connection is refused; `status` is the HTTP answer to the websocket upgrade. */
export class ConsoleTokenRefused extends Fault {
  readonly reason: RefusalReason;
  constructor(reason: RefusalReason, message: string, status = 401) {
    super(message, status, `nova.console_token_${reason}`);
    this.name = 'ConsoleTokenRefused';
    this.reason = reason;
  }
}

export type CellDbs = () => Promise<readonly DbHandle<CellDb>[]>;

export interface TokenCheckDeps {
  /** Every cell database a token may live in (asked in order). */
  readonly cellDbs: CellDbs;
  readonly clock: Clock;
}

/** A token that checked out, and the database that holds it (to use it up). */
export interface FoundToken {
  readonly record: consoleTokens.ConsoleAuthToken;
  readonly db: DbHandle<CellDb>;
}

const invalid = (reason: RefusalReason) =>
  new ConsoleTokenRefused(reason, 'The console token is invalid or has expired.');

/**
 * The authorization of `token` for a proxy serving `consoleTypes`, not yet used up: throws
 * ConsoleTokenRefused when there is none. Call `useUp` once the console itself answered.
 */
export async function findConsoleToken(
  d: TokenCheckDeps,
  token: string | undefined,
  consoleTypes: readonly string[],
): Promise<FoundToken> {
  if (!token) throw new ConsoleTokenRefused('missing', 'A console token is required (?token=…).');
  for (const db of await d.cellDbs()) {
    const record = await consoleTokens.findByToken(db, token);
    if (!record) continue;
    if (record.expires <= Math.floor(d.clock.now().getTime() / 1000)) {
      await consoleTokens.consume(db, record.id);
      throw invalid('expired');
    }
    if (!consoleTypes.includes(record.console_type))
      throw new ConsoleTokenRefused(
        'wrong_type',
        `The console token is for a ${record.console_type} console, not for this proxy (${consoleTypes.join(', ')}).`,
        403,
      );
    return { record, db };
  }
  throw invalid('unknown');
}

/** Deletes the token's row; a concurrent connection that got there first makes this refuse. */
export async function useUp(found: FoundToken): Promise<void> {
  if (!(await consoleTokens.consume(found.db, found.record.id))) throw invalid('used');
}
