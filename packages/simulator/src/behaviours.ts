import type { Agent } from './agent.js';
import { type ControlEndpoint, startControlEndpoint } from './control.js';
import type { Device } from './device.js';
import { LivingCounters } from './living.js';
import { ScenarioRunner, type ScenarioStep, type SimulatedDevice } from './scenarios.js';
import { NotificationOriginator, type NotificationSink } from './sinks.js';

export interface BehaviourOptions {
  /** Where the devices send notifications (snmpd's sink lines or objects). */
  sinks?: readonly (string | NotificationSink)[];
  /** authenticationFailure notifications on bad communities (snmpd's `authtrapenable 1`; snmpEnableAuthenTraps.0 rules). */
  authenticationFailureTraps?: boolean;
  /** Counters that grow, seeded (each device's seed is this plus its position). */
  livingCounters?: { seed: number };
  /** Steps to run from now (parseScenario). */
  scenario?: readonly ScenarioStep[];
  /** A control endpoint on loopback (a port picked at run time unless given). */
  control?: { host?: string; port?: number };
  /** Log of what the scenario and the control endpoint did. */
  onEvent?: ConstructorParameters<typeof ScenarioRunner>[0]['onEvent'];
}

/** The behaviours attached to an agent's devices, running. */
export interface Behaviours {
  readonly devices: readonly SimulatedDevice[];
  readonly runner: ScenarioRunner;
  readonly notifications: NotificationOriginator | undefined;
  readonly control: ControlEndpoint | undefined;
  close(): Promise<void>;
}

/**
 * Sinks, living counters, a scenario and a control endpoint for the devices of one agent (what `snmpkit simulate
 * --sink --live-counters --scenario --control` attaches): `devices` by name (a single device is named `device`; `*`
 * reaches every one). The agent's devices share its engine and so one notification originator.
 */
export async function startBehaviours(
  agent: Agent,
  devices: ReadonlyMap<string, Device>,
  options: BehaviourOptions,
): Promise<Behaviours> {
  const notifications =
    options.sinks && options.sinks.length > 0 ? NotificationOriginator.forAgent(agent, options.sinks) : undefined;
  const simulated: SimulatedDevice[] = [...devices].map(([name, device], i) => ({
    name,
    agent,
    device,
    counters: options.livingCounters
      ? new LivingCounters(device, { seed: options.livingCounters.seed + i })
      : undefined,
    notifications,
  }));
  const stopAuthTraps =
    notifications && options.authenticationFailureTraps
      ? notifications.sendAuthenticationFailures(agent, {
          enabled: true,
          ...(devices.size === 1 ? { device: [...devices.values()][0]! } : {}),
        })
      : undefined;
  const runner = new ScenarioRunner({
    clock: agent.clock,
    devices: (name) => (name === '*' ? simulated : simulated.filter((d) => d.name === name)),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  if (options.scenario) runner.add(options.scenario);
  // A scenario naming a device that is not there fails here, before anything runs.
  runner.check();
  const control = options.control
    ? await startControlEndpoint({ runner, deviceNames: () => simulated.map((d) => d.name), ...options.control })
    : undefined;
  runner.start();
  return {
    devices: simulated,
    runner,
    notifications,
    control,
    async close() {
      runner.stop();
      stopAuthTraps?.();
      await control?.close();
      await notifications?.close();
    },
  };
}
