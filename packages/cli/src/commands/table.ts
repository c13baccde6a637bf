/**
 * table AGENT TABLE-OID: a conceptual table (Session.table) printed as rows: one line per row with its index and
 * the columns that row has, values as Net-SNMP prints them (-O flags apply); --json prints one object per row.
 */
import type { SnmpValue } from '@snmpkit/ber';
import { agentCommand, openSession, parseOidArguments, reportFailure } from '../agent.js';
import { appFlag, parseArgs, UsageError } from '../args.js';
import type { Io } from '../io.js';

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const { options, positionals } = parseArgs(argv, { appFlags: { r: 'number' } });
  if (positionals.length === 0) throw new UsageError('No hostname specified.');
  const [peer, ...rest] = positionals as [string, ...string[]];
  if (rest.length !== 1)
    throw new UsageError('table needs exactly one table OID (the OID of the table, not of its entry)');
  const command = await agentCommand('table', options, io, peer);
  const [tableOid] = parseOidArguments(command, rest) as [string];
  const session = await openSession(command);
  try {
    const maxRepetitions = appFlag(options, 'r');
    const rows = await session
      .table(tableOid, maxRepetitions === undefined ? {} : { maxRepetitions: Number(maxRepetitions) })
      .catch((error: unknown) => reportFailure(command, error));
    const columns = [...new Set([...rows.values()].flatMap((row) => [...row.keys()]))].sort((a, b) => a - b);
    if (rows.size === 0) {
      io.err(`${tableOid}: No entries\n`);
      return 1;
    }
    const text = (column: number, index: string, value: SnmpValue | undefined) =>
      value === undefined ? '?' : command.presenter.value(`${tableOid}.1.${column}.${index}`, value);
    let out = '';
    if (options.json) {
      const { varbindJson } = await import('../agent.js');
      for (const [index, row] of rows) {
        const cells = [...row].map(
          ([column, value]) =>
            `"${column}":${varbindJson({ oid: `${tableOid}.1.${column}.${index}`, value }, command)}`,
        );
        out += `{"index":${JSON.stringify(index)},"columns":{${cells.join(',')}}}\n`;
      }
    } else {
      out += `index\t${columns.map((c) => `column ${c}`).join('\t')}\n`;
      for (const [index, row] of rows)
        out += `${index}\t${columns.map((c) => text(c, index, row.get(c))).join('\t')}\n`;
    }
    io.out(out);
    return 0;
  } finally {
    await session.close();
  }
}
