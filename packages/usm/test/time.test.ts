import { hexToBytes } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import {
  AuthoritativeClock,
  EngineTimeCache,
  isInAuthoritativeWindow,
  MAX_ENGINE_BOOTS,
  MAX_ENGINE_TIME,
} from '../src/index.js';

const ENGINE = hexToBytes('80001f8880d803316272ab046b00000000');

function fakeClock(start = 1_000_000) {
  const clock = { ms: start, now: () => clock.ms, advance: (seconds: number) => (clock.ms += seconds * 1000) };
  return clock;
}

describe('authoritative side (RFC 3414 §3.2 step 7a)', () => {
  it('accepts our boots within 150 s either way, refuses beyond', () => {
    const local = { boots: 5, time: 1000 };
    expect(isInAuthoritativeWindow(local, 5, 1000)).toBe(true);
    expect(isInAuthoritativeWindow(local, 5, 850)).toBe(true);
    expect(isInAuthoritativeWindow(local, 5, 1150)).toBe(true);
    expect(isInAuthoritativeWindow(local, 5, 849)).toBe(false);
    expect(isInAuthoritativeWindow(local, 5, 1151)).toBe(false);
    expect(isInAuthoritativeWindow(local, 4, 1000)).toBe(false);
    expect(isInAuthoritativeWindow(local, 6, 1000)).toBe(false);
  });

  it('a locked engine (boots 2147483647) refuses everything', () => {
    expect(isInAuthoritativeWindow({ boots: MAX_ENGINE_BOOTS, time: 10 }, MAX_ENGINE_BOOTS, 10)).toBe(false);
  });

  it('AuthoritativeClock counts seconds, reboots, and wraps time into boots', () => {
    const t = fakeClock();
    const clock = new AuthoritativeClock({ engineId: ENGINE, boots: 3, now: t.now });
    expect(clock.read()).toEqual({ boots: 3, time: 0 });
    t.advance(2.5);
    expect(clock.time).toBe(2);
    expect(clock.isInTimeWindow(3, 152)).toBe(true);
    expect(clock.isInTimeWindow(3, 153)).toBe(false);
    expect(clock.timeliness(ENGINE, 3, 0)).toBe(true);
    clock.reboot();
    expect(clock.read()).toEqual({ boots: 4, time: 0 });
    expect(clock.isInTimeWindow(3, 0)).toBe(false);
    const late = new AuthoritativeClock({ engineId: ENGINE, boots: 1, time: MAX_ENGINE_TIME, now: t.now });
    t.advance(1);
    expect(late.read()).toEqual({ boots: 2, time: 0 });
  });
});

describe('non-authoritative side (RFC 3414 §2.3, §3.2 step 7b)', () => {
  it('estimates the engine time from what it learnt plus the local clock', () => {
    const t = fakeClock();
    const cache = new EngineTimeCache({ now: t.now });
    expect(cache.get(ENGINE)).toBeUndefined();
    cache.set(ENGINE, 2, 500);
    t.advance(3600);
    // An hour later, requests carry a time the agent still accepts.
    expect(cache.get(ENGINE)).toEqual({ boots: 2, time: 4100 });
  });

  it('accepts messages in the window and refuses old ones', () => {
    const t = fakeClock();
    const cache = new EngineTimeCache({ now: t.now });
    cache.set(ENGINE, 2, 1000);
    t.advance(10);
    expect(cache.accept(ENGINE, 2, 1010)).toBe(true);
    expect(cache.accept(ENGINE, 2, 860)).toBe(true);
    expect(cache.accept(ENGINE, 2, 859)).toBe(false);
    expect(cache.accept(ENGINE, 1, 5000)).toBe(false);
  });

  it('follows an agent that rebooted (boots went up, time restarted)', () => {
    const t = fakeClock();
    const cache = new EngineTimeCache({ now: t.now });
    cache.set(ENGINE, 2, 90_000);
    expect(cache.accept(ENGINE, 3, 5)).toBe(true);
    expect(cache.get(ENGINE)).toEqual({ boots: 3, time: 5 });
    // Old-boot messages are now refused.
    expect(cache.accept(ENGINE, 2, 90_001)).toBe(false);
  });

  it('only moves forward: a later time updates the notion, an earlier one does not', () => {
    const t = fakeClock();
    const cache = new EngineTimeCache({ now: t.now });
    cache.set(ENGINE, 1, 100);
    expect(cache.accept(ENGINE, 1, 400)).toBe(true);
    expect(cache.get(ENGINE)).toEqual({ boots: 1, time: 400 });
    expect(cache.accept(ENGINE, 1, 300)).toBe(true);
    expect(cache.get(ENGINE)).toEqual({ boots: 1, time: 400 });
  });

  it('learns an unknown engine from its first authenticated message; a locked one is refused', () => {
    const cache = new EngineTimeCache({ now: fakeClock().now });
    expect(cache.accept(ENGINE, 4, 77)).toBe(true);
    expect(cache.has(ENGINE)).toBe(true);
    expect(cache.timeliness(ENGINE, 4, 77)).toBe(true);
    cache.set(ENGINE, MAX_ENGINE_BOOTS, 1);
    expect(cache.accept(ENGINE, MAX_ENGINE_BOOTS, 1)).toBe(false);
    expect(cache.forget(ENGINE)).toBe(true);
    expect(cache.has(ENGINE)).toBe(false);
  });
});
