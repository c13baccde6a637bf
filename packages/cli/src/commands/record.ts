/**
 * record [net-snmp options] AGENT [OID] > device.snmprec: walks a live agent and prints what it answered as
 * .snmprec lines, which `snmpkit simulate --data` serves back. The walk and the format are @snmpkit/simulator's.
 */
import { RecordError, record } from '@snmpkit/simulator';
import { parseArgs, UsageError } from '../args.js';
import type { Io } from '../io.js';
import { parseOidWithoutMibs } from '../presenter.js';
import { applyClientDefaults, loadSnmpConf } from '../snmp-conf.js';

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const { options, positionals } = parseArgs(argv, { appFlags: { r: 'number' } });
  // snmp.conf's session defaults, as the other agent commands take them (defaultPort aside: record has no such option).
  applyClientDefaults(options, loadSnmpConf(io).client);
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
  const oid = oidText === undefined ? undefined : parseOidWithoutMibs(oidText);
  const maxRepetitions = options.appFlags.findLast((f) => f.flag === 'r')?.value;
  let user: import('@snmpkit/usm').UsmUser | undefined;
  if (options.version === '3') {
    if (options.user === undefined) {
      io.err('snmpkit record: No securityName specified\n');
      return 1;
    }
    user = (await import('../v3-user.js')).userFromOptions(options, 'snmpkit record');
  }
  try {
    const text = await record({
      peer,
      version: options.version,
      ...(options.community !== undefined ? { community: options.community } : {}),
      ...(user ? { user } : {}),
      ...(options.context !== undefined ? { contextName: options.context } : {}),
      ...(oid !== undefined ? { oid } : {}),
      ...(maxRepetitions !== undefined ? { maxRepetitions: Number(maxRepetitions) } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout * 1000 } : {}),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
    });
    io.out(text);
    return 0;
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    io.err(`snmpkit record: ${error.message}\n`);
    return 1;
  }
}
