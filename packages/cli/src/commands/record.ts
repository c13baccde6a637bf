/**
 * record [net-snmp options] AGENT [OID] > device.snmprec: walks a live agent with @snmpkit/session's walk (every
 * Net-SNMP option, message and default of the agent commands applies) and prints what it answered as .snmprec lines
 * (@snmpkit/simulator's writer), which `snmpkit simulate --data` serves back.
 */
import { recordSnmprec } from '@snmpkit/simulator';
import { type AgentCommand, openSession, reportFailure } from '../agent.js';
import { parseArgs, UsageError } from '../args.js';
import type { Io } from '../io.js';
import { noMibPresenter, parseOidWithoutMibs } from '../presenter.js';
import { applyClientDefaults, loadSnmpConf } from '../snmp-conf.js';

/** What record walks without an OID: everything an agent usually has (snmpwalk's default, mib-2, is narrower). */
const DEFAULT_ROOT = '1.3.6.1';

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const { options, positionals } = parseArgs(argv, { appFlags: { r: 'number' } });
  // snmp.conf's session defaults, as the other agent commands take them.
  const conf = loadSnmpConf(io);
  applyClientDefaults(options, conf.client);
  // What prints varbinds does not apply: the output is .snmprec, for `simulate --data`, and nothing else.
  const unread = options.json ? '--json' : options.dump ? '-d' : undefined;
  if (unread !== undefined) {
    throw new UsageError(
      `snmpkit record: ${unread} does not apply: record prints .snmprec lines (OID|TAG|VALUE)`,
      false,
    );
  }
  const [peer, oidText] = positionals;
  if (peer === undefined) throw new UsageError('No hostname specified.');
  // `.1` (one arc: the whole tree) is walked as snmpwalk walks it: the session's walk starts at 1.0.
  const root = oidText === undefined ? DEFAULT_ROOT : parseOidWithoutMibs(oidText, { singleArc: true });
  const maxRepetitions = options.appFlags.findLast((f) => f.flag === 'r')?.value;
  const port = conf.client.defaultPort;
  const command: AgentCommand = {
    name: 'record',
    options,
    io,
    peer,
    presenter: noMibPresenter(options.output),
    ...(port !== undefined ? { defaultPort: port } : {}),
  };
  const session = await openSession(
    command,
    maxRepetitions === undefined ? {} : { maxRepetitions: Number(maxRepetitions) },
  );
  try {
    // What is recorded is what the agent has: no GET of the root when the subtree is empty (snmpwalk's -Ci habit).
    io.out(await recordSnmprec(session.walk(root, { getRootIfEmpty: false })));
    return 0;
  } catch (error) {
    // snmpwalk prints its timeouts without the final dot.
    reportFailure(command, error, { timeoutDot: false });
  } finally {
    await session.close();
  }
}
