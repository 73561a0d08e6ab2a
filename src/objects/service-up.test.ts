import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isServiceUp } from './service-up.ts';

const NOW = new Date('2026-01-01T00:01:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const svc = (fields: Partial<Parameters<typeof isServiceUp>[0]> = {}) => ({
  forced_down: false,
  last_seen_up: null,
  updated_at: null,
  created_at: null,
  ...fields,
});

describe('isServiceUp', () => {
  it('is up up to and including service_down_time seconds after the last heartbeat', () => {
    assert.equal(isServiceUp(svc({ last_seen_up: at(-60_000) }), NOW, 60), true);
    assert.equal(isServiceUp(svc({ last_seen_up: at(-60_001) }), NOW, 60), false);
    assert.equal(isServiceUp(svc({ last_seen_up: NOW }), NOW, 60), true);
  });

  it('treats a heartbeat from the future by its distance too (clock skew)', () => {
    assert.equal(isServiceUp(svc({ last_seen_up: at(60_000) }), NOW, 60), true);
    assert.equal(isServiceUp(svc({ last_seen_up: at(60_001) }), NOW, 60), false);
  });

  it('falls back to updated_at, then created_at', () => {
    assert.equal(isServiceUp(svc({ updated_at: at(-10_000), created_at: at(-999_000) }), NOW, 60), true);
    assert.equal(isServiceUp(svc({ created_at: at(-10_000) }), NOW, 60), true);
    assert.equal(isServiceUp(svc({ created_at: at(-61_000) }), NOW, 60), false);
    assert.equal(isServiceUp(svc(), NOW, 60), false);
  });

  it('last_seen_up wins over a fresher updated_at (an admin edit is not a heartbeat)', () => {
    assert.equal(isServiceUp(svc({ last_seen_up: at(-120_000), updated_at: NOW }), NOW, 60), false);
  });

  it('is down when forced down, whatever the heartbeat', () => {
    assert.equal(isServiceUp(svc({ forced_down: true, last_seen_up: NOW }), NOW, 60), false);
  });
});
