import { UsmConfigError } from './errors.js';
import { engineIdKey } from './protocols.js';

/** RFC 3414 §3.2 step 7: messages more than 150 seconds off the engine's clock are outside the time window. */
export const TIME_WINDOW_SECONDS = 150;
/** snmpEngineBoots' largest value; an engine that reaches it is locked until reconfigured (RFC 3414 §2.2.2). */
export const MAX_ENGINE_BOOTS = 2147483647;
/** snmpEngineTime's largest value; past it the engine's boots increment and its time restarts at 0. */
export const MAX_ENGINE_TIME = 2147483647;

/** An engine's boots and time, as sent in msgAuthoritativeEngineBoots/Time. */
export interface EngineClock {
  boots: number;
  time: number;
}

/** Milliseconds, monotonic enough: the simulator's virtual clock can stand in for Date.now. */
export type Now = () => number;

/**
 * RFC 3414 §3.2 step 7a, the authoritative side's check: the engine is not locked, the message carries our boots,
 * and its time is within 150 s of ours.
 */
export function isInAuthoritativeWindow(local: EngineClock, msgBoots: number, msgTime: number): boolean {
  return (
    local.boots !== MAX_ENGINE_BOOTS &&
    msgBoots === local.boots &&
    Math.abs(msgTime - local.time) <= TIME_WINDOW_SECONDS
  );
}

function checkBoots(boots: number): number {
  if (!Number.isInteger(boots) || boots < 0 || boots > MAX_ENGINE_BOOTS) {
    throw new UsmConfigError(`engine boots must be an integer in 0..${MAX_ENGINE_BOOTS}, got ${boots}`);
  }
  return boots;
}

export interface AuthoritativeClockOptions {
  engineId: Uint8Array;
  /** snmpEngineBoots at start (persisted and incremented by the caller across restarts); default 1. */
  boots?: number;
  /** snmpEngineTime at start, in seconds; default 0. */
  time?: number;
  now?: Now;
}

/**
 * The authoritative engine's clock (an agent, or a notification originator): snmpEngineID, snmpEngineBoots and
 * snmpEngineTime, which it puts in the messages it sends and checks incoming ones against.
 */
export class AuthoritativeClock {
  readonly engineId: Uint8Array;
  readonly #now: Now;
  #boots: number;
  /** When (in `now` milliseconds) snmpEngineTime was 0 for the current boots. */
  #epoch: number;

  constructor(options: AuthoritativeClockOptions) {
    this.engineId = Uint8Array.from(options.engineId);
    this.#now = options.now ?? Date.now;
    this.#boots = checkBoots(options.boots ?? 1);
    this.#epoch = this.#now() - (options.time ?? 0) * 1000;
  }

  /** Sets boots and time outright: an engine restored from storage, or a test that jumps the engine's clock. */
  set(boots: number, time: number): void {
    this.#boots = checkBoots(boots);
    this.#epoch = this.#now() - time * 1000;
  }

  #roll(): number {
    let seconds = Math.floor((this.#now() - this.#epoch) / 1000);
    // snmpEngineTime wraps into a new boot once it passes its maximum (RFC 3414 §2.2.2).
    while (seconds > MAX_ENGINE_TIME && this.#boots < MAX_ENGINE_BOOTS) {
      this.#boots++;
      this.#epoch += (MAX_ENGINE_TIME + 1) * 1000;
      seconds -= MAX_ENGINE_TIME + 1;
    }
    return Math.min(Math.max(seconds, 0), MAX_ENGINE_TIME);
  }

  get boots(): number {
    this.#roll();
    return this.#boots;
  }

  get time(): number {
    return this.#roll();
  }

  /** Boots and time now, read together. */
  read(): EngineClock {
    const time = this.#roll();
    return { boots: this.#boots, time };
  }

  /** A restart: boots increment (up to the locking maximum) and time starts again at 0. */
  reboot(): void {
    this.#boots = Math.min(this.#boots + 1, MAX_ENGINE_BOOTS);
    this.#epoch = this.#now();
  }

  /** RFC 3414 §3.2 step 7a for a message that claims this engine's boots and time. */
  isInTimeWindow(msgBoots: number, msgTime: number): boolean {
    return isInAuthoritativeWindow(this.read(), msgBoots, msgTime);
  }

  /** As a TimelinessCheck for decodeSecureMessage (the engine ID has already been checked there). */
  readonly timeliness = (_engineId: Uint8Array, msgBoots: number, msgTime: number): boolean =>
    this.isInTimeWindow(msgBoots, msgTime);
}

interface EngineNotion {
  boots: number;
  /** snmpEngineTime as last learnt, and when (local milliseconds) it was learnt. */
  time: number;
  learntAt: number;
  /** latestReceivedEngineTime (RFC 3414 §2.3). */
  latestReceivedTime: number;
}

/**
 * The non-authoritative side's notion of each remote engine's boots and time (RFC 3414 §2.3): learnt at discovery,
 * advanced by the local clock in between, updated by authenticated messages. A manager keeps one for all its
 * agents; a session that lives for hours keeps sending times the agent accepts, and an agent that rebooted
 * (boots increased) is followed as soon as one of its authenticated messages arrives.
 */
export class EngineTimeCache {
  readonly #now: Now;
  readonly #engines = new Map<string, EngineNotion>();
  /** The last engine ID looked up and its map key: a manager talks to one engine at a time, per message. */
  #lastId: Uint8Array | undefined;
  #lastKey = '';

  constructor(options: { now?: Now } = {}) {
    this.#now = options.now ?? Date.now;
  }

  #key(engineId: Uint8Array): string {
    const last = this.#lastId;
    if (last !== undefined && last.length === engineId.length) {
      let same = true;
      for (let i = 0; i < last.length && same; i++) same = last[i] === engineId[i];
      if (same) return this.#lastKey;
    }
    this.#lastId = Uint8Array.from(engineId);
    this.#lastKey = engineIdKey(engineId);
    return this.#lastKey;
  }

  /** The engine's boots and time as they are now by our estimate, to put in an outgoing message. */
  get(engineId: Uint8Array): EngineClock | undefined {
    const notion = this.#engines.get(this.#key(engineId));
    return notion && this.#estimate(notion);
  }

  #estimate(notion: EngineNotion): EngineClock {
    const elapsed = Math.floor((this.#now() - notion.learntAt) / 1000);
    return { boots: notion.boots, time: Math.min(notion.time + Math.max(elapsed, 0), MAX_ENGINE_TIME) };
  }

  has(engineId: Uint8Array): boolean {
    return this.#engines.has(this.#key(engineId));
  }

  /** Sets the notion outright: from discovery, or after a notInTimeWindow report to resynchronise. */
  set(engineId: Uint8Array, boots: number, time: number): void {
    this.#engines.set(this.#key(engineId), { boots, time, learntAt: this.#now(), latestReceivedTime: time });
  }

  forget(engineId: Uint8Array): boolean {
    return this.#engines.delete(this.#key(engineId));
  }

  /**
   * RFC 3414 §3.2 step 7b for an authenticated message from the engine: first advance the notion when the message
   * is newer (higher boots, or same boots and a later time than any received), then tell whether the message is
   * in the time window. An engine without a notion yet is learnt from the message.
   */
  accept(engineId: Uint8Array, msgBoots: number, msgTime: number): boolean {
    const notion = this.#engines.get(this.#key(engineId));
    if (!notion) {
      this.set(engineId, msgBoots, msgTime);
      return msgBoots !== MAX_ENGINE_BOOTS;
    }
    if (msgBoots > notion.boots || (msgBoots === notion.boots && msgTime > notion.latestReceivedTime)) {
      notion.boots = msgBoots;
      notion.time = msgTime;
      notion.learntAt = this.#now();
      notion.latestReceivedTime = msgTime;
    }
    if (notion.boots === MAX_ENGINE_BOOTS || msgBoots < notion.boots) return false;
    const local = this.#estimate(notion);
    return !(msgBoots === local.boots && msgTime < local.time - TIME_WINDOW_SECONDS);
  }

  /** As a TimelinessCheck for decodeSecureMessage. */
  readonly timeliness = (engineId: Uint8Array, msgBoots: number, msgTime: number): boolean =>
    this.accept(engineId, msgBoots, msgTime);
}
