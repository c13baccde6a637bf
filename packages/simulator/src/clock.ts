/**
 * Where the agent gets its time from: sysUpTime, the growth of numeric counters, response delays and the v3
 * engine time all read `now()` and wait with `setTimeout`, so that a test can swap in a VirtualClock and be
 * deterministic and instant.
 */
export interface Clock {
  /** Milliseconds; only differences matter. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** An opaque timer handle, only good for clearTimeout on the clock that made it. */
export type TimerHandle = { readonly __timer: true } | object;

/** The real clock: performance.now() and Node's timers. */
export class SystemClock implements Clock {
  now(): number {
    return performance.now();
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    return setTimeout(callback, Math.max(0, ms));
  }

  clearTimeout(handle: TimerHandle): void {
    clearTimeout(handle as NodeJS.Timeout);
  }
}

interface VirtualTimer {
  due: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told: `advance(ms)` moves time forward and fires the timers that fall due, in order
 * of due time (then of creation), each with `now()` set to its due time.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: VirtualTimer[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer: VirtualTimer = { due: this.#now + Math.max(0, ms), seq: this.#seq++, callback, cancelled: false };
    this.#timers.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    (handle as VirtualTimer).cancelled = true;
    this.#timers = this.#timers.filter((t) => t !== handle);
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (also those set while firing). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('advance(ms) needs a non-negative number of milliseconds');
    const target = this.#now + ms;
    for (;;) {
      let next: VirtualTimer | undefined;
      for (const t of this.#timers) {
        if (t.due <= target && (!next || t.due < next.due || (t.due === next.due && t.seq < next.seq))) next = t;
      }
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = Math.max(this.#now, next.due);
      if (!next.cancelled) next.callback();
    }
    this.#now = target;
  }
}
