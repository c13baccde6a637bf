/** get, getnext, bulkget and set: one request (or a few, when snmpget fixes a failed PDU), Net-SNMP's output. */
import type { VarBind } from '@snmpkit/ber';
import { MibLookupError } from '@snmpkit/mib/display';
import { ResponseError, type Session } from '@snmpkit/session';
import {
  type AgentCommand,
  type FailureStyle,
  openSession,
  parseOidArguments,
  printResponseError,
  printVarbinds,
  refusesV2Pdu,
  reportFailure,
  startAgentCommand,
} from '../agent.js';
import { appFlag, appFlagCount, UsageError } from '../args.js';
import type { Io } from '../io.js';

const APP_FLAGS = {
  get: { f: 'none' },
  getnext: { f: 'none' },
  bulkget: { n: 'number', r: 'number' },
  set: { q: 'none' },
} as const;

export type RequestCommandName = keyof typeof APP_FLAGS;

export async function run(name: RequestCommandName, argv: readonly string[], io: Io): Promise<number> {
  const { command, rest } = await startAgentCommand(name, argv, { appFlags: APP_FLAGS[name] }, io);
  if (rest.length === 0) throw new UsageError('Missing object name');
  const { options } = command;
  if (name === 'set') return runSet(command, rest);
  const nonRepeaters = Number(appFlag(options, 'n') ?? 0);
  if (name === 'bulkget' && rest.length < nonRepeaters) {
    io.err('snmpkit bulkget: need more objects than <nonrep>\n');
    return 1;
  }
  const oids = parseOidArguments(command, rest);
  if (name === 'bulkget' && refusesV2Pdu(command)) return 1;
  const session = await openSession(command);
  try {
    if (name === 'bulkget') {
      const varbinds = await session
        .getBulk(oids, {
          nonRepeaters,
          maxRepetitions: Number(appFlag(options, 'r') ?? 10),
        })
        .catch((error: unknown) => reportFailure(command, error, { timeoutDot: false }));
      printVarbinds(command, varbinds);
      return 0;
    }
    // snmpget prints "Error in packet" without the dot; snmpgetnext and the others with it.
    const style: FailureStyle = name === 'get' ? { errorInPacket: 'Error in packet' } : {};
    return await requestFixingErrors(command, session, oids, name === 'get' ? 'get' : 'getNext', style);
  } finally {
    await session.close();
  }
}

/**
 * snmpget/snmpgetnext: on an error-status response, print the error, drop the failed varbind and ask again
 * with the rest (unless -Cf); the exit code stays 2.
 */
async function requestFixingErrors(
  command: AgentCommand,
  session: Session,
  initial: string[],
  operation: 'get' | 'getNext',
  style: FailureStyle,
): Promise<number> {
  const dontFix = appFlagCount(command.options, 'f') % 2 === 1;
  let oids = initial;
  let exitCode = 0;
  for (;;) {
    try {
      printVarbinds(command, await session[operation](oids));
      return exitCode;
    } catch (error) {
      if (!(error instanceof ResponseError)) reportFailure(command, error, style);
      exitCode = printResponseError(command, error, style);
      if (dontFix || error.index < 1 || error.index > oids.length) return exitCode;
      oids = oids.filter((_, i) => i !== error.index - 1);
      if (oids.length === 0) return exitCode;
    }
  }
}

async function runSet(command: AgentCommand, words: string[]): Promise<number> {
  const { io, options } = command;
  const { mibSyntaxLookup, parseSetValue, SetValueError, SNMPSET_TYPES } = await import('../set-values.js');
  const syntaxOf = mibSyntaxLookup(command.presenter.mib);
  const varbinds: VarBind[] = [];
  let failures = 0;
  for (let i = 0; i < words.length; i += 3) {
    const [oidText, type, value] = words.slice(i, i + 3) as [string, string?, string?];
    if (type === undefined) {
      io.err(`${oidText}: Needs type and value\n`);
      return 1;
    }
    if (value === undefined) {
      io.err(`${oidText}: Needs value\n`);
      return 1;
    }
    try {
      const oid = command.presenter.parseOid(oidText);
      if (!SNMPSET_TYPES.has(type)) throw new SetValueError(`Bad object type: ${type}`);
      const warn = (text: string) => io.err(text);
      varbinds.push({ oid, value: parseSetValue(type, value, warn, command.presenter.parseOid, syntaxOf(oid)) });
    } catch (error) {
      if (error instanceof MibLookupError) io.err(`${error.message}\n`);
      else if (error instanceof SetValueError) io.err(`${oidText}: ${error.message}\n`);
      else throw error;
      failures++;
    }
  }
  if (failures > 0) return 1;
  const session = await openSession(command);
  try {
    // snmpset prints its timeout without the final dot.
    const response = await session
      .set(varbinds)
      .catch((error: unknown) => reportFailure(command, error, { timeoutDot: false }));
    if (appFlagCount(options, 'q') === 0) printVarbinds(command, response);
    return 0;
  } finally {
    await session.close();
  }
}
