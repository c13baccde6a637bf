/**
 * simulate: an SNMP agent from .snmprec/walk data. Prints `listening on <endpoint>` for each
 * endpoint once it answers, then serves until SIGINT/SIGTERM. The work is @snmpkit/simulator's startSimulator.
 */
import {
  type AgentUser,
  agentUserFromSpec,
  type Behaviours,
  startBehaviours,
  startSimulator,
} from '@snmpkit/simulator';
import { parseArgs, UsageError } from '../args.js';
import type { Io } from '../io.js';
import {
  BEHAVIOUR_OPTIONS,
  BEHAVIOUR_SWITCHES,
  behaviourOptions,
  devicesOf,
  viewOptions,
} from './simulate-behaviours.js';

/** The long options simulate reads (each takes a value); its usage text describes every one. */
export const SIMULATE_OPTIONS = [
  'data',
  'listen',
  'community',
  'rw-community',
  'user',
  'rw-user',
  'engine-id',
  'state-dir',
  'max-getbulk-repeats',
  'max-getbulk-responses',
  'tcp-max-connections',
  'tcp-idle-timeout',
  'fault',
  'seed',
  ...BEHAVIOUR_OPTIONS,
];

/** The switches simulate reads. */
export const SIMULATE_SWITCHES = ['strict', 'recorded-uptime', 'allow-subprocess', ...BEHAVIOUR_SWITCHES];

/** A --max-getbulk-* value: an integer (0 or less: no cap). */
function getbulkCap(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) throw new UsageError(`--${name} needs an integer (0 or less: no cap), got "${text}"`);
  return Number(text);
}

/** A --tcp-* value: a whole number from `min` (seconds for the idle timeout, `scale` 1000), as the option's field. */
function tcpBound<K extends string>(
  name: string,
  field: K,
  text: string | undefined,
  min: number,
  scale: number,
): Partial<Record<K, number>> {
  if (text === undefined) return {};
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new UsageError(`--${name} needs a whole number from ${min}, got "${text}"`);
  }
  return { [field]: Number(text) * scale } as Partial<Record<K, number>>;
}

/** A --user/--rw-user spec as the agent's user (the simulator's reader), or a usage error that names the option. */
function agentUser(spec: string, access: 'ro' | 'rw'): AgentUser {
  try {
    return agentUserFromSpec(spec, access);
  } catch (error) {
    throw new UsageError(`--${access === 'rw' ? 'rw-user' : 'user'} ${(error as Error).message.replace(/^user /, '')}`);
  }
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const { options } = parseArgs(argv, { longWithValue: SIMULATE_OPTIONS, longSwitches: SIMULATE_SWITCHES });
  const long = options.long;
  const data = long.data?.at(-1);
  if (data === undefined) throw new UsageError('simulate needs --data PATH (an .snmprec file or a directory of them)');
  const seed = long.seed?.at(-1);
  const maxGetbulkRepeats = getbulkCap('max-getbulk-repeats', long['max-getbulk-repeats']?.at(-1));
  const maxGetbulkResponses = getbulkCap('max-getbulk-responses', long['max-getbulk-responses']?.at(-1));
  const tcp = {
    ...tcpBound('tcp-max-connections', 'maxConnections', long['tcp-max-connections']?.at(-1), 1, 1),
    ...tcpBound('tcp-idle-timeout', 'idleTimeoutMs', long['tcp-idle-timeout']?.at(-1), 0, 1000),
  };
  const users = long.user?.map((spec) => agentUser(spec, 'ro'));
  const rwUsers = long['rw-user']?.map((spec) => agentUser(spec, 'rw'));
  const views = viewOptions(long);
  const behaviours = await behaviourOptions(long, seed !== undefined ? Number(seed) : 1);
  let simulator: Awaited<ReturnType<typeof startSimulator>>;
  try {
    simulator = await startSimulator({
      data,
      listen: long.listen ?? ['udp:127.0.0.1:1161'],
      ...(long.community ? { communities: long.community } : {}),
      ...(long['rw-community'] ? { rwCommunities: long['rw-community'] } : {}),
      ...(users ? { users } : {}),
      ...(rwUsers ? { rwUsers } : {}),
      ...(long['engine-id'] ? { engineId: long['engine-id'].at(-1)! } : {}),
      ...(long['state-dir'] ? { stateDir: long['state-dir'].at(-1)! } : {}),
      tcp,
      ...(maxGetbulkRepeats !== undefined ? { maxGetbulkRepeats } : {}),
      ...(maxGetbulkResponses !== undefined ? { maxGetbulkResponses } : {}),
      ...(long.fault ? { faults: long.fault } : {}),
      ...(seed !== undefined ? { seed: Number(seed) } : {}),
      ...views,
      deviceOptions: {
        // As snmpsim: a record whose value cannot be served answers noSuchInstance (warned about below).
        badRecords: long.strict ? 'refuse' : 'serve',
        ...(long['recorded-uptime'] ? { liveSysUpTime: false } : {}),
        // snmpsim's subprocess records run programs named in the data: only when the user says so.
        ...(long['allow-subprocess'] ? { allowSubprocess: true } : {}),
      },
    });
  } catch (error) {
    io.err(`snmpkit simulate: ${(error as Error).message}\n`);
    return 1;
  }
  for (const warning of simulator.warnings) io.err(`snmpkit simulate: warning: ${warning}\n`);
  for (const skipped of simulator.skippedFiles)
    io.err(`snmpkit simulate: skipping ${skipped.path}: ${skipped.reason}\n`);
  // What each data file is served as: its community (v1/v2c) and v3 context, snmpsim's names.
  for (const file of simulator.dataFiles) io.out(`serving ${file.path} as community/context "${file.name}"\n`);
  let running: Behaviours | undefined;
  if (behaviours) {
    try {
      running = await startBehaviours(simulator.agent, devicesOf(simulator), {
        ...behaviours,
        onEvent: (e) => io.out(`scenario: ${e.atMs} ms ${e.device} ${e.action}${e.error ? `: ${e.error}` : ''}\n`),
      });
    } catch (error) {
      await simulator.close();
      io.err(`snmpkit simulate: ${(error as Error).message}\n`);
      return 1;
    }
    if (running.control) io.out(`control on ${running.control.url}\n`);
  }
  for (const endpoint of simulator.endpoints) io.out(`listening on ${endpoint}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running?.close();
  await simulator.close();
  return 0;
}
