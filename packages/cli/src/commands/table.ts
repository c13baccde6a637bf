/**
 * table AGENT TABLE-OID: snmptable. With MIB modules that know the table, the output is snmptable's: a title, the
 * accessible columns by name, right-justified (-Cl: left), `?` for a missing cell, -Ci the index column, -Cf SEP
 * separated fields, -Cb brief names. Without them (Net-SNMP then stops with "Was that a table?"), snmpkit still
 * prints the rows, columns by number. --json prints one object per row.
 */
import { compareOids, type SnmpValue } from '@snmpkit/ber';
import type { TableRows } from '@snmpkit/session';
import { agentCommand, openSession, parseOidArguments, reportFailure, varbindJson } from '../agent.js';
import { appFlagCount, parseArgs, takeAppFlagWord, UsageError } from '../args.js';
import type { Io } from '../io.js';

interface Column {
  header: string;
  /** The column's number under the entry. */
  subid: number;
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const words = [...argv];
  // snmptable reads the values of -Cf and -Cr from the next word.
  const separator = takeAppFlagWord(words, 'f');
  const maxRepetitions = takeAppFlagWord(words, 'r');
  const { options, positionals } = parseArgs(words, {
    appFlags: { b: 'none', B: 'none', h: 'none', H: 'none', i: 'none', l: 'none' },
    badAppFlag: (flag) => new UsageError(`Bad option after -C: ${flag}`),
  });
  if (maxRepetitions !== undefined && !/^\d+$/.test(maxRepetitions)) {
    throw new UsageError(`Bad option after -C: ${maxRepetitions}`);
  }
  if (positionals.length === 0) throw new UsageError('No hostname specified.');
  const [peer, ...rest] = positionals as [string, ...string[]];
  if (rest.length !== 1) throw new UsageError('table needs exactly one table OID (the table, not its entry)');
  const command = await agentCommand('table', options, io, peer);
  const [tableOid] = parseOidArguments(command, rest) as [string];
  const known = command.presenter.tableColumns(tableOid);
  // snmptable quick-prints: values are `active`, not `INTEGER: active(1)`, and -OX indexes lose their `STRING: `.
  const settings = options.output;
  const quickSettings = { ...settings, quick: true };
  // Net-SNMP's snmptable needs MIB modules; snmpkit prints columns by number when there are none at all.
  if (known === undefined && !options.json && command.presenter.hasMibs) {
    io.err(`Was that a table? ${command.presenter.oid(tableOid)}\n`);
    return 1;
  }
  if (appFlagCount(options, 'h') % 2 === 1 && known !== undefined) {
    // -Ch: snmptable prints the header line alone, asks the agent nothing, and then finds no entries.
    const columns = known.map((c) => ({ header: c.label, subid: 0 }));
    if (appFlagCount(options, 'b') % 2 === 1) briefHeaders(columns);
    const header = [...(appFlagCount(options, 'i') % 2 === 1 ? ['index'] : []), ...columns.map((c) => c.header)];
    const [line] = layout([header], false, separator, appFlagCount(options, 'l') % 2 === 1);
    io.out(`${line}${command.presenter.oid(tableOid)}: No entries\n`);
    return 0;
  }
  const session = await openSession(command);
  let rows: TableRows;
  try {
    rows = await session
      .table(tableOid, maxRepetitions === undefined ? {} : { maxRepetitions: Number(maxRepetitions) })
      .catch((error: unknown) => reportFailure(command, error, { timeoutDot: false }));
  } finally {
    await session.close();
  }
  const indexes = [...rows.keys()].sort(compareOids);
  if (options.json) {
    let out = '';
    for (const index of indexes) {
      const cells = [...rows.get(index)!].map(
        ([column, value]) =>
          `${JSON.stringify(String(column))}:${varbindJson({ oid: `${tableOid}.1.${column}.${index}`, value }, command.presenter)}`,
      );
      out += `{"index":${JSON.stringify(index)},"columns":{${cells.join(',')}}}\n`;
    }
    io.out(out);
    return 0;
  }
  const title = command.presenter.oid(tableOid);
  if (indexes.length === 0) {
    io.out(`${title}: No entries\n`);
    return 0;
  }
  const columns: Column[] = known
    ? known.map((c) => ({ header: c.label, subid: Number(c.oid.slice(c.oid.lastIndexOf('.') + 1)) }))
    : [...new Set(indexes.flatMap((i) => [...rows.get(i)!.keys()]))]
        .sort((a, b) => a - b)
        .map((subid) => ({ header: String(subid), subid }));
  if (appFlagCount(options, 'b') % 2 === 1) briefHeaders(columns);
  const cell = (index: string, column: Column): string => {
    const value: SnmpValue | undefined = rows.get(index)!.get(column.subid);
    if (value === undefined) return '?';
    const oid = `${tableOid}.1.${column.subid}.${index}`;
    return command.presenter.value(oid, value, quickSettings);
  };
  const showIndex = appFlagCount(options, 'i') % 2 === 1;
  const indexText = (index: string) => {
    // The index as the column's OID prints it, after the column's name (`1."ab".10.0.0.1`, -OX `[1][ab][10.0.0.1]`).
    const name = command.presenter.oid(`${tableOid}.1.${columns[0]!.subid}.${index}`, quickSettings);
    const columnName = command.presenter.oid(`${tableOid}.1.${columns[0]!.subid}`, quickSettings);
    if (name.startsWith(`${columnName}.`)) return name.slice(columnName.length + 1);
    return name.startsWith(`${columnName}[`) ? name.slice(columnName.length) : index;
  };
  const grid = [
    [...(showIndex ? ['index'] : []), ...columns.map((c) => c.header)],
    ...indexes.map((index) => [...(showIndex ? [indexText(index)] : []), ...columns.map((c) => cell(index, c))]),
  ];
  const lines = layout(grid, showIndex, separator, appFlagCount(options, 'l') % 2 === 1);
  // -CH: no title and no header line (the columns keep the headers' widths), as snmptable prints it.
  if (appFlagCount(options, 'H') % 2 === 1) io.out(lines.slice(1).join(''));
  else io.out(`SNMP table: ${title}\n\n${lines.join('')}`);
  return 0;
}

/** -Cb: the common prefix of the first two column names is dropped from every name (skValue, skStatus: Value...). */
function briefHeaders(columns: Column[]): void {
  if (columns.length < 2) return;
  const [a, b] = [columns[0]!.header, columns[1]!.header];
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  for (const column of columns) column.header = column.header.slice(n);
}

/** snmptable's layout, a line per row: widths from the widest cell; the index column flush, others after a space. */
function layout(grid: string[][], showIndex: boolean, separator: string | undefined, left: boolean): string[] {
  if (separator !== undefined) return grid.map((row) => `${row.join(separator)}\n`);
  const widths = grid[0]!.map((_, c) => Math.max(...grid.map((row) => row[c]!.length)));
  return grid.map((row) => {
    let line = '';
    row.forEach((text, c) => {
      const isIndex = showIndex && c === 0;
      if (left) line += isIndex ? text.padEnd(widths[c]!) : `${text.padEnd(widths[c]!)} `;
      else line += isIndex ? text.padStart(widths[c]!) : ` ${text.padStart(widths[c]!)}`;
    });
    return `${line}\n`;
  });
}
