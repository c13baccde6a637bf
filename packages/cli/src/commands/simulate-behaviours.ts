/**
 * simulate's device behaviours (views, notification sinks, living counters, a scenario, a control endpoint): the
 * options and how they become @snmpkit/simulator's startSimulator views and startBehaviours options.
 */
import { readFile } from 'node:fs/promises';
import {
  type Agent,
  type BehaviourOptions,
  type Device,
  type MibView,
  parseScenario,
  parseSink,
  parseViews,
  type Simulator,
} from '@snmpkit/simulator';
import { UsageError } from '../args.js';

/** The long options with a value. */
export const BEHAVIOUR_OPTIONS = ['view', 'view-for', 'sink', 'scenario'];
/** The switches. */
export const BEHAVIOUR_SWITCHES = ['authtrap', 'live-counters', 'control'];

type Long = Record<string, string[] | undefined>;

/** --view lines and --view-for NAME=VIEW, as startSimulator's `views` and `accessViews`. */
export function viewOptions(long: Long): { views?: Map<string, MibView>; accessViews?: Record<string, string> } {
  const lines = long.view ?? [];
  let views: Map<string, MibView> | undefined;
  try {
    views = lines.length > 0 ? parseViews(lines.join('\n'), '--view') : undefined;
  } catch (error) {
    throw new UsageError(
      (error as Error).message.replace(/^--view:(\d+)/, (_, n) => `--view "${lines[Number(n) - 1]}"`),
    );
  }
  const accessViews: Record<string, string> = {};
  for (const spec of long['view-for'] ?? []) {
    const eq = spec.lastIndexOf('=');
    if (eq <= 0) throw new UsageError(`--view-for needs COMMUNITY_OR_USER=VIEW, got "${spec}"`);
    const view = spec.slice(eq + 1);
    if (!views?.has(view)) throw new UsageError(`--view-for ${spec}: no view "${view}" (give it with --view)`);
    accessViews[spec.slice(0, eq)] = view;
  }
  return { ...(views ? { views } : {}), ...(lines.length > 0 ? { accessViews } : {}) };
}

/** The behaviours asked for, or undefined when none; a bad sink line or scenario file is a usage error. */
export async function behaviourOptions(long: Long, seed: number): Promise<BehaviourOptions | undefined> {
  const sinks = (long.sink ?? []).map((line) => {
    try {
      return parseSink(line, '--sink');
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  });
  const file = long.scenario?.at(-1);
  let scenario: BehaviourOptions['scenario'];
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(`--scenario ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    try {
      scenario = parseScenario(text, file);
    } catch (error) {
      throw new UsageError(`--scenario ${(error as Error).message}`);
    }
  }
  if (sinks.length === 0 && !scenario && !long.control && !long['live-counters']) {
    if (long.authtrap) throw new UsageError('--authtrap needs a --sink to send to');
    return undefined;
  }
  return {
    sinks,
    ...(long.authtrap ? { authenticationFailureTraps: true } : {}),
    ...(long['live-counters'] ? { livingCounters: { seed } } : {}),
    ...(scenario ? { scenario } : {}),
    ...(long.control ? { control: {} } : {}),
  };
}

/** The simulator's devices by the names a scenario and the control endpoint use (one data file: `device`). */
export function devicesOf(simulator: Simulator): Map<string, Device> {
  const agent: Agent = simulator.agent;
  const single = simulator.dataFiles.length === 0 ? agent.device('') : undefined;
  if (single) return new Map([['device', single]]);
  const out = new Map<string, Device>();
  for (const file of simulator.dataFiles) {
    const device = agent.device(file.name);
    if (device) out.set(file.name, device);
  }
  return out;
}
