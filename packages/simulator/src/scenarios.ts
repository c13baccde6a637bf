import type { SnmpValue, VarBind } from '@snmpkit/ber';
import type { Agent } from './agent.js';
import type { Clock, TimerHandle } from './clock.js';
import type { Device } from './device.js';
import type { CounterControl } from './living.js';
import { parentOf } from './oid.js';
import { type NotificationOriginator, TRAP_OIDS } from './sinks.js';

/** What a scenario acts on: one simulated device, with its agent and, optionally, living counters and sinks. */
export interface SimulatedDevice {
  name: string;
  agent: Agent;
  device: Device;
  /** Living counters (a LivingCounters, or a lab template's `forAgent(agent)`). */
  counters?: CounterControl | undefined;
  notifications?: NotificationOriginator | undefined;
}

/** One thing that happens to a device. JSON as it is (the control endpoint takes these). */
export type ScenarioAction =
  /** ifOperStatus.N down(2), ifLastChange.N now, and a linkDown notification. */
  | { action: 'linkDown'; ifIndex: number }
  /** ifOperStatus.N up(1), ifLastChange.N now, and a linkUp notification. */
  | { action: 'linkUp'; ifIndex: number }
  /**
   * A reboot: silent for `downMs` (default 0), then sysUpTime from 0, counters from 0, snmpEngineBoots + 1, and a
   * coldStart notification.
   */
  | { action: 'reboot'; downMs?: number }
  /** No answers for `durationMs` (default: until resumeAnswering). */
  | { action: 'stopAnswering'; durationMs?: number }
  | { action: 'resumeAnswering' }
  /** Every response `delayMs` late, for `durationMs` (default: until another slow sets it, 0 for none). */
  | { action: 'slow'; delayMs: number; durationMs?: number }
  /** A living counter (default ifInOctets.ifIndex) moved so that it wraps in `inMs` (default 10,000) ms. */
  | { action: 'counterWrap'; oid?: string; ifIndex?: number; inMs?: number }
  /** Any notification, to the device's sinks. */
  | { action: 'notify'; trapOid: string; varbinds?: VarBind[] };

export type ScenarioActionName = ScenarioAction['action'];

/** A scenario action that cannot be applied or read, with the file and line when it came from one. */
export class ScenarioError extends Error {
  readonly code = 'ERR_SIMULATOR_SCENARIO';
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const IF_INDEX = `${IF_ENTRY}.1`;
const IF_X_ENTRY = '1.3.6.1.2.1.31.1.1.1';
const IF_ADMIN_STATUS = `${IF_ENTRY}.7`;
const IF_OPER_STATUS = `${IF_ENTRY}.8`;
const IF_LAST_CHANGE = `${IF_ENTRY}.9`;
const IF_IN_OCTETS = `${IF_ENTRY}.10`;

/** The argument names each action takes, with their kinds: what a scenario file and the control endpoint check. */
const ACTION_ARGS: Readonly<Record<ScenarioActionName, Readonly<Record<string, 'count' | 'oid'>>>> = {
  linkDown: { ifIndex: 'count' },
  linkUp: { ifIndex: 'count' },
  reboot: { downMs: 'count' },
  stopAnswering: { durationMs: 'count' },
  resumeAnswering: {},
  slow: { delayMs: 'count', durationMs: 'count' },
  counterWrap: { oid: 'oid', ifIndex: 'count', inMs: 'count' },
  notify: { trapOid: 'oid' },
};
const REQUIRED: Partial<Record<ScenarioActionName, string[]>> = {
  linkDown: ['ifIndex'],
  linkUp: ['ifIndex'],
  slow: ['delayMs'],
  notify: ['trapOid'],
};

/**
 * Checks an action given as JSON (the control endpoint's body, less `device`) or read from a file: a known action,
 * known arguments of the right kind, the required ones present. Throws ScenarioError naming what is wrong.
 */
export function checkAction(input: Record<string, unknown>): ScenarioAction {
  const name = input.action;
  if (typeof name !== 'string' || !(name in ACTION_ARGS)) {
    throw new ScenarioError(`action "${String(name)}": expected one of ${Object.keys(ACTION_ARGS).join(', ')}`);
  }
  const kinds = ACTION_ARGS[name as ScenarioActionName];
  for (const [key, value] of Object.entries(input)) {
    if (key === 'action' || (key === 'varbinds' && name === 'notify')) continue;
    const kind = kinds[key];
    if (!kind) {
      const known = Object.keys(kinds);
      throw new ScenarioError(
        `${name}: unknown argument "${key}" (${known.length ? `known: ${known.join(', ')}` : 'none'})`,
      );
    }
    if (kind === 'count' && !(typeof value === 'number' && Number.isInteger(value) && value >= 0)) {
      throw new ScenarioError(`${name}: ${key} must be a non-negative integer, got ${JSON.stringify(value)}`);
    }
    if (kind === 'oid' && !(typeof value === 'string' && /^\.?\d+(\.\d+)+$/.test(value))) {
      throw new ScenarioError(`${name}: ${key} must be a numeric OID, got ${JSON.stringify(value)}`);
    }
  }
  for (const key of REQUIRED[name as ScenarioActionName] ?? []) {
    if (input[key] === undefined) throw new ScenarioError(`${name} needs ${key}`);
  }
  if (name === 'counterWrap' && input.oid === undefined && input.ifIndex === undefined) {
    throw new ScenarioError('counterWrap needs oid or ifIndex');
  }
  return input as ScenarioAction;
}

/** A counter column of ifTable or ifXTable (ifInOctets, ifHCOutOctets ...) of interface `ifIndex`. */
function isInterfaceCounter(oid: string, ifIndex: number): boolean {
  const suffix = `.${ifIndex}`;
  if (!oid.endsWith(suffix)) return false;
  const column = oid.slice(0, -suffix.length);
  const table = parentOf(column);
  return table === IF_ENTRY || table === IF_X_ENTRY;
}

function uptimeTicks(target: SimulatedDevice): SnmpValue {
  return { type: 'TimeTicks', value: Math.floor(target.agent.uptimeMs / 10) >>> 0 };
}

function setLink(target: SimulatedDevice, ifIndex: number, up: boolean): void {
  const { device } = target;
  const oper = `${IF_OPER_STATUS}.${ifIndex}`;
  if (device.get(oper) === undefined) {
    throw new ScenarioError(`${target.name}: no interface ${ifIndex} (no ifOperStatus.${ifIndex})`);
  }
  device.set(oper, { type: 'Integer', value: up ? 1 : 2 });
  device.set(`${IF_LAST_CHANGE}.${ifIndex}`, uptimeTicks(target));
  // No traffic while down: the interface's living counters stop, and grow on from there once it is up again.
  const counters = target.counters;
  if (counters) {
    const now = target.agent.uptimeMs;
    for (const oid of counters.oids) {
      if (!isInterfaceCounter(oid, ifIndex)) continue;
      if (up) counters.setValue(oid, counters.valueAt(oid, now), now);
      else counters.hold(oid, now);
    }
  }
  // IF-MIB's linkDown/linkUp carry ifIndex, ifAdminStatus and ifOperStatus of the interface.
  const varbinds: VarBind[] = [];
  for (const column of [IF_INDEX, IF_ADMIN_STATUS, IF_OPER_STATUS]) {
    const value = device.get(`${column}.${ifIndex}`);
    if (value) varbinds.push({ oid: `${column}.${ifIndex}`, value });
  }
  void target.notifications?.notify({ trapOid: up ? TRAP_OIDS.linkUp : TRAP_OIDS.linkDown, varbinds });
}

/**
 * Applies one action to a device now (a reboot with `downMs` and a timed outage finish later, on the agent's clock).
 * Throws ScenarioError when the device cannot do it (no such interface, no living counter).
 */
export function applyAction(target: SimulatedDevice, action: ScenarioAction): void {
  const { agent } = target;
  switch (action.action) {
    case 'linkDown':
    case 'linkUp':
      setLink(target, action.ifIndex, action.action === 'linkUp');
      return;
    case 'reboot': {
      const boot = () => {
        agent.resumeAnswering();
        agent.restart();
        target.counters?.reset();
        void target.notifications?.notify({ trapOid: TRAP_OIDS.coldStart });
      };
      const down = action.downMs ?? 0;
      if (down <= 0) {
        boot();
        return;
      }
      agent.stopAnswering(down);
      agent.clock.setTimeout(boot, down);
      return;
    }
    case 'stopAnswering':
      agent.stopAnswering(action.durationMs);
      return;
    case 'resumeAnswering':
      agent.resumeAnswering();
      return;
    case 'slow': {
      agent.setResponseDelay(action.delayMs);
      if (action.durationMs !== undefined) {
        const delay = action.delayMs;
        // Back to normal unless another action changed the delay meanwhile.
        agent.clock.setTimeout(() => {
          if (agent.responseDelayMs === delay) agent.setResponseDelay(0);
        }, action.durationMs);
      }
      return;
    }
    case 'counterWrap': {
      if (!target.counters) throw new ScenarioError(`${target.name}: counterWrap needs living counters`);
      const oid = action.oid?.replace(/^\./, '') ?? `${IF_IN_OCTETS}.${action.ifIndex}`;
      try {
        target.counters.wrapIn(oid, action.inMs ?? 10_000, agent.uptimeMs);
      } catch (error) {
        throw new ScenarioError(`${target.name}: ${(error as Error).message}`);
      }
      return;
    }
    case 'notify':
      void target.notifications?.notify({ trapOid: action.trapOid, varbinds: action.varbinds ?? [] });
      return;
  }
}

/** One timed step: when (ms from the start), which devices (a name, or `*` for all), what. */
export interface ScenarioStep {
  atMs: number;
  device: string;
  action: ScenarioAction;
  /** `file:line` when read from a file. */
  source?: string;
}

/** What happened at a step: for tests and for the CLI's log. */
export interface ScenarioEvent {
  atMs: number;
  device: string;
  action: ScenarioActionName;
  error?: string;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `5s`, `1.5m`, `1h`, or a plain number of ms. */
export function parseDuration(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new ScenarioError(`"${text}" is not a duration (like 500ms, 5s, 2m, 1h)`);
  return Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 'ms']!);
}

/**
 * A scenario file: one step per line, `TIME DEVICE ACTION [NAME=VALUE ...]`, TIME from the start (`0`, `500ms`,
 * `5s`, `2m`), DEVICE a name or `*`, arguments as in ScenarioAction (durations with units allowed: `downMs=5s`).
 * Blank lines and `#` comments are skipped. A bad line throws ScenarioError naming `source:line`.
 *
 *     10s  *       linkDown      ifIndex=2
 *     40s  core-1  linkUp        ifIndex=2
 *     1m   core-1  reboot        downMs=5s
 */
export function parseScenario(text: string, source = 'scenario'): ScenarioStep[] {
  const steps: ScenarioStep[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const where = `${source}:${i + 1}`;
    try {
      const [time, device, action, ...args] = line.split(/\s+/);
      if (action === undefined) throw new ScenarioError('expected TIME DEVICE ACTION [NAME=VALUE ...]');
      const input: Record<string, unknown> = { action };
      for (const arg of args) {
        const eq = arg.indexOf('=');
        if (eq <= 0) throw new ScenarioError(`"${arg}": expected NAME=VALUE`);
        const key = arg.slice(0, eq);
        const value = arg.slice(eq + 1);
        const kind = ACTION_ARGS[action as ScenarioActionName]?.[key];
        input[key] = kind === 'count' ? (/Ms$/.test(key) ? parseDuration(value) : Number(value)) : value;
      }
      steps.push({ atMs: parseDuration(time!), device: device!, action: checkAction(input), source: where });
    } catch (error) {
      if (error instanceof ScenarioError) throw new ScenarioError(`${where}: ${error.message}`);
      throw error;
    }
  }
  return steps;
}

/**
 * Runs timed steps on a clock (the agents' VirtualClock in tests, the system clock otherwise): `at(ms, device,
 * action)` or `add(steps)`, then `start()`; times count from start(). `devices` finds a step's targets by name (`*`:
 * every device). A step that fails (no such interface) is logged in `events` with its error; the others go on.
 */
export class ScenarioRunner {
  readonly #clock: Clock;
  readonly #devices: (name: string) => readonly SimulatedDevice[];
  readonly #steps: ScenarioStep[] = [];
  readonly #timers = new Set<TimerHandle>();
  readonly events: ScenarioEvent[] = [];
  #onEvent: ((event: ScenarioEvent) => void) | undefined;

  constructor(options: {
    clock: Clock;
    devices: (name: string) => readonly SimulatedDevice[];
    onEvent?: (event: ScenarioEvent) => void;
  }) {
    this.#clock = options.clock;
    this.#devices = options.devices;
    this.#onEvent = options.onEvent;
  }

  at(ms: number, device: string, action: ScenarioAction): this {
    this.#steps.push({ atMs: ms, device, action: checkAction(action as unknown as Record<string, unknown>) });
    return this;
  }

  add(steps: readonly ScenarioStep[]): this {
    this.#steps.push(...steps);
    return this;
  }

  /** Checks that every step names a device that exists: a scenario file's typo fails before anything runs. */
  check(): void {
    for (const step of this.#steps) {
      if (this.#devices(step.device).length === 0) {
        throw new ScenarioError(`${step.source ? `${step.source}: ` : ''}no device "${step.device}"`);
      }
    }
  }

  start(): void {
    this.check();
    for (const step of this.#steps) {
      const timer = this.#clock.setTimeout(() => {
        this.#timers.delete(timer);
        this.#run(step);
      }, step.atMs);
      this.#timers.add(timer);
    }
  }

  /** Applies an action now to the devices a name finds (the control endpoint's path); returns how many. */
  apply(device: string, action: ScenarioAction, atMs = 0): number {
    const targets = this.#devices(device);
    if (targets.length === 0) throw new ScenarioError(`no device "${device}"`);
    for (const target of targets) applyAction(target, action);
    this.#log({ atMs, device, action: action.action });
    return targets.length;
  }

  #run(step: ScenarioStep): void {
    try {
      this.apply(step.device, step.action, step.atMs);
    } catch (error) {
      this.#log({ atMs: step.atMs, device: step.device, action: step.action.action, error: (error as Error).message });
    }
  }

  #log(event: ScenarioEvent): void {
    this.events.push(event);
    this.#onEvent?.(event);
  }

  /** Steps still to come. */
  get pending(): number {
    return this.#timers.size;
  }

  stop(): void {
    for (const timer of this.#timers) this.#clock.clearTimeout(timer);
    this.#timers.clear();
  }
}
