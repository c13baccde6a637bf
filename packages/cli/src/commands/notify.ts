/**
 * trap and inform: snmptrap's and snmpinform's argument order, sent by @snmpkit/session.
 *   v2c: AGENT UPTIME TRAP-OID [OID TYPE VALUE]...          (UPTIME '' is this host's uptime)
 *   v1:  AGENT ENTERPRISE AGENT-ADDR GENERIC SPECIFIC UPTIME [OID TYPE VALUE]...
 * `trap -Ci` sends an InformRequest, as snmptrap -Ci does; the default port is 162.
 * v3 (-u -l -a -A -x -X): -e is the authoritative engine, as in Net-SNMP: for a trap the sender's own engine ID
 * (random per run when not given), for an inform the receiver's (discovered when not given).
 */
import { networkInterfaces, uptime } from 'node:os';
import type { VarBind } from '@snmpkit/ber';
import { MibLookupError } from '@snmpkit/mib/display';
import { openSession, refusesV2Pdu, reportFailure, startAgentCommand } from '../agent.js';
import { appFlagCount, UsageError } from '../args.js';
import { CliExit, type Io } from '../io.js';

/** snmptrap's enterprise when none is given (Net-SNMP's objid_enterprise). */
const DEFAULT_ENTERPRISE = '1.3.6.1.4.1.3.1.1';

/**
 * snmptrap's agent-addr when it is given as '': this host's address, the first IPv4 address of an interface that is
 * not a loopback, whatever the trap's destination (a trap to 127.0.0.1 still names the host by its network address);
 * 0.0.0.0 on a host with none.
 */
export function primaryIpv4Address(interfaces = networkInterfaces()): string {
  for (const addresses of Object.values(interfaces)) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  return '0.0.0.0';
}

/** This host's uptime in hundredths of a second. */
function hostUptimeTicks(): number {
  return Math.floor(uptime() * 100);
}

export async function run(name: 'trap' | 'inform', argv: readonly string[], io: Io): Promise<number> {
  const { command, rest } = await startAgentCommand(name, argv, { appFlags: { i: 'none' } }, io);
  const { options } = command;
  const inform = name === 'inform' || appFlagCount(options, 'i') % 2 === 1;
  const { mibSyntaxLookup, parseSetValue, SetValueError } = await import('../set-values.js');
  // With MIB modules, values are read and checked against the objects' syntax, as snmptrap's snmp_add_var does.
  const syntaxOf = mibSyntaxLookup(command.presenter.mib);
  const parseOid = (text: string) => {
    try {
      return command.presenter.parseOid(text);
    } catch (error) {
      if (!(error instanceof MibLookupError)) throw error;
      io.err(`${error.message}\n`);
      throw new CliExit(1);
    }
  };
  const uptimeOf = (text: string) => (text === '' ? undefined : Number.parseInt(text, 10) || 0);
  const varbindsFrom = (words: string[]): VarBind[] => {
    const varbinds: VarBind[] = [];
    for (let i = 0; i < words.length; i += 3) {
      const [oidText, type, value] = words.slice(i, i + 3) as [string, string?, string?];
      if (type === undefined || value === undefined) {
        io.err(`${oidText}: Needs type and value\n`);
        throw new CliExit(1);
      }
      const oid = parseOid(oidText);
      try {
        // snmptrap hands snmp_add_var the letter alone: "int" is 'i', an unknown one is a Bad variable type.
        const letter = type.charAt(0);
        varbinds.push({ oid, value: parseSetValue(letter, value, (text) => io.err(text), parseOid, syntaxOf(oid)) });
      } catch (error) {
        if (!(error instanceof SetValueError)) throw error;
        io.err(`${oidText}: ${error.message}\n`);
        throw new CliExit(1);
      }
    }
    return varbinds;
  };

  if (options.version === '1') {
    if (inform && refusesV2Pdu(command)) return 1;
    const [enterprise, agentAddress, generic, specific, uptime, ...words] = rest;
    if (enterprise === undefined) throw new UsageError('Missing enterprise parameter');
    if (agentAddress === undefined) throw new UsageError('Missing agent parameter');
    if (generic === undefined) throw new UsageError('Missing generic-trap parameter');
    if (specific === undefined) throw new UsageError('Missing specific-trap parameter');
    if (uptime === undefined) throw new UsageError('Missing up-time parameter');
    const trap = {
      enterprise: enterprise === '' ? DEFAULT_ENTERPRISE : parseOid(enterprise),
      genericTrap: Number.parseInt(generic, 10) || 0,
      specificTrap: Number.parseInt(specific, 10) || 0,
      varbinds: varbindsFrom(words),
      agentAddress: agentAddress === '' ? primaryIpv4Address() : agentAddress,
      ...(uptimeOf(uptime) === undefined ? {} : { timestamp: uptimeOf(uptime) }),
    };
    const session = await openSession(command, { defaultPort: 162 });
    try {
      await session.trapV1(trap).catch((error: unknown) => reportFailure(command, error, { timeoutDot: false }));
    } finally {
      await session.close();
    }
    return 0;
  }

  const [uptime, trapOid, ...words] = rest;
  if (uptime === undefined) throw new UsageError('Missing up-time parameter');
  if (trapOid === undefined) throw new UsageError('Missing trap-oid parameter');
  const oid = parseOid(trapOid);
  const varbinds = varbindsFrom(words);
  const notification = uptimeOf(uptime) === undefined ? {} : { uptime: uptimeOf(uptime)! };
  // A v3 trap needs an engine of its own and no discovery of the receiver: snmptrap without -e uses its local
  // engine ID; ours is made up for the run (a receiver then knows the user only for engines it is told of).
  const ownEngine =
    options.version === '3' && !inform && options.securityEngineId === undefined
      ? { engineId: (await import('@snmpkit/usm')).randomEngineId() }
      : {};
  // snmptrap's engine clock is the host's uptime in hundredths (the sysUpTime.0 it sends), with boots 1. A receiver
  // keeps the latest time it saw per engine and refuses one more than 150 "seconds" behind it (RFC 3414 §3.2 7b),
  // so a trap from the same -e after snmptrap's must carry as large a time: uptime in seconds was refused.
  // -Z BOOTS,TIME sets both, as snmptrap's does.
  const given = options.engineBootsTime;
  const engineClock =
    options.version !== '3' || inform
      ? {}
      : given !== undefined
        ? { engineBoots: given.boots, engineTime: given.time }
        : { engineTime: Math.min(hostUptimeTicks(), 0x7fffffff) };
  // snmptrap -Ci names itself snmpinform in the failures of the exchange ("snmpinform: Timeout").
  const exchanging = inform ? { ...command, name: 'inform' } : command;
  const session = await openSession(exchanging, { defaultPort: 162, ...ownEngine, ...engineClock });
  try {
    const sent = inform ? session.inform(oid, varbinds, notification) : session.trap(oid, varbinds, notification);
    await Promise.resolve(sent).catch((error: unknown) =>
      reportFailure(exchanging, error, { timeoutAsLibraryError: true }),
    );
  } finally {
    await session.close();
  }
  return 0;
}
