/**
 * translate OID...: snmptranslate's main job, OID text from one form to another (-On numeric, -Of full, -Os
 * suffix, default iso.3.6...). Without MIB modules only the roots have names, exactly as Net-SNMP without MIBs.
 */
import { MibLookupError } from '@snmpkit/mib/display';
import { parseArgs, UsageError } from '../args.js';
import type { Io } from '../io.js';
import { createPresenter } from '../presenter.js';

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const { options, positionals } = parseArgs(argv);
  if (positionals.length === 0) throw new UsageError('Missing object name');
  const presenter = await createPresenter(options, options.inputFlags.includes('R'));
  let out = '';
  let exitCode = 0;
  for (const text of positionals) {
    try {
      // snmptranslate separates the answers for several OIDs with an empty line.
      const oid = presenter.parseOid(text, { singleArc: true });
      out += `${out === '' ? '' : '\n'}${presenter.oid(oid)}\n`;
    } catch (error) {
      if (!(error instanceof MibLookupError)) throw error;
      io.err(`${error.message}\n`);
      exitCode = 2;
    }
  }
  io.out(out);
  return exitCode;
}
