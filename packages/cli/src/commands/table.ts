/**
 * table AGENT TABLE-OID: snmptable. With MIB modules that know the table, the output is snmptable's: a title, the
 * accessible columns by name, right-justified (-Cl: left), `?` for a missing cell, -Ci the index column, -Cf SEP
 * separated fields, -Cb brief names, -Cw NUM parts of at most NUM characters, -Cc NUM columns of NUM characters,
 * -CB GETNEXT rather than GETBULK. Without them (Net-SNMP then stops with "Was that a table?"), snmpkit still prints
 * the rows, columns by number. --json prints one object per row, every column the agent has.
 */
import { compareOids, type SnmpValue } from '@snmpkit/ber';
import type { TableRows } from '@snmpkit/session';
import { agentCommand, openSession, parseOidArguments, reportFailure, varbindJson } from '../agent.js';
import { appFlagCount, parseArgs, takeAppFlagWords, UsageError } from '../args.js';
import type { Io } from '../io.js';
import type { Presenter } from '../presenter.js';

interface Column {
  header: string;
  /** The column's number under the entry. */
  subid: number;
}

/** How the table is laid out, from the -C letters. */
interface Style {
  /** -Cf: fields separated by this, unpadded. */
  separator: string | undefined;
  /** -Cl: left-justified. */
  left: boolean;
  /** -Ci: the index first. */
  showIndex: boolean;
  /** Not -CH: the title and the header line. */
  headers: boolean;
  /** -Cw: the most characters a line of a part may take (at least one column whatever it is). */
  maxWidth: number | undefined;
  /** -Cc: every column this many characters, a space included. */
  columnWidth: number | undefined;
}

/** The -C letters of snmptable that take the next word as their value. */
const VALUE_LETTERS = 'fcrw';

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const words = [...argv];
  const { values, missing } = takeAppFlagWords(words, VALUE_LETTERS);
  const { options, positionals } = parseArgs(words, {
    appFlags: { b: 'none', B: 'none', h: 'none', H: 'none', i: 'none', l: 'none' },
    badAppFlag: (flag) => new UsageError(`Bad option after -C: ${flag}`),
  });
  // snmptable refuses a value of these letters with its usage text first, then what is wrong.
  const refuse = async (letter: string, what: string) => {
    io.err(`${(await import('../usage.js')).commandUsage('table')}\nBad -C${letter} option: ${what}\n`);
    return 1;
  };
  // It reads these numbers as C's atoi does.
  const numbers = { c: 0, r: 0, w: 0 };
  for (const letter of ['c', 'r', 'w'] as const) {
    const word = values.get(letter);
    if (word === undefined) continue;
    numbers[letter] = atoi(word);
    // -Cc NUM leaves NUM - 1 characters to the value (and a space): fewer than two it refuses.
    if (letter === 'c' ? numbers.c <= 2 : numbers[letter] === 0) return refuse(letter, word);
  }
  // The last word of the command line, it has no value to take.
  if (missing !== undefined) return refuse(missing, 'no argument given');
  const separator = values.get('f');
  const maxRepetitions = values.has('r') ? numbers.r : undefined;
  // A negative -Cr snmptable sends on, to fail with an odd message of its own: snmpkit refuses it here.
  if (maxRepetitions !== undefined && maxRepetitions < 0) throw new UsageError(`Bad -Cr option: ${values.get('r')}`);
  if (positionals.length === 0) throw new UsageError('No hostname specified.');
  const [peer, ...rest] = positionals as [string, ...string[]];
  if (rest.length !== 1) throw new UsageError('Must have exactly one table name');
  const command = await agentCommand('table', options, io, peer, undefined, rest);
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
  // snmptable's letters do not toggle: given twice is given.
  const given = (letter: string) => appFlagCount(options, letter) > 0;
  const style: Style = {
    separator,
    left: given('l'),
    showIndex: given('i'),
    headers: !given('H'),
    maxWidth: values.has('w') ? numbers.w : undefined,
    columnWidth: values.has('c') ? numbers.c : undefined,
  };
  const brief = given('b');
  const title = command.presenter.oid(tableOid);
  if (given('h') && known !== undefined) {
    // -Ch: snmptable prints the header line alone, asks the agent nothing, and then finds no entries.
    const columns = known.map((c) => ({ header: c.label, subid: 0 }));
    if (brief) briefHeaders(columns);
    io.out(`${render(title, columns, [], style, true)}${title}: No entries\n`);
    return 0;
  }
  // -CB: GETNEXT rather than GETBULK.
  const bulk = options.version !== '1' && !given('B');
  const session = await openSession(command);
  let rows: TableRows;
  try {
    rows = await session
      .table(tableOid, { getBulk: bulk, ...(maxRepetitions === undefined ? {} : { maxRepetitions }) })
      .catch((error: unknown) => reportFailure(command, error, { timeoutDot: false }));
  } finally {
    await session.close();
  }
  const indexes = [...rows.keys()].sort(compareOids);
  if (options.json) {
    let out = '';
    for (const index of indexes) {
      const row = [...rows.get(index)!];
      const cells = row.map(
        ([column, value]) =>
          `${JSON.stringify(String(column))}:${varbindJson({ oid: `${tableOid}.1.${column}.${index}`, value }, command.presenter)}`,
      );
      const parts = indexParts(command.presenter, `${tableOid}.1.${row[0]![0]}.${index}`);
      out += `{"index":${JSON.stringify(index)},"indexes":${JSON.stringify(parts)},"columns":{${cells.join(',')}}}\n`;
    }
    io.out(out);
    return 0;
  }
  const columns: Column[] = known
    ? known.map((c) => ({ header: c.label, subid: Number(c.oid.slice(c.oid.lastIndexOf('.') + 1)) }))
    : [...new Set(indexes.flatMap((i) => [...rows.get(i)!.keys()]))]
        .sort((a, b) => a - b)
        .map((subid) => ({ header: String(subid), subid }));
  // snmptable's rows are the indexes of the MIB's columns: a value in another column makes no row. Its GETBULKs
  // (not its GETNEXTs, which ask for those columns alone) see such values, and it ends with a warning.
  const subids = new Set(columns.map((c) => c.subid));
  const extra = indexes.some((index) => [...rows.get(index)!.keys()].some((column) => !subids.has(column)));
  const warning = extra && bulk ? `${title}: WARNING: More columns on agent than in MIB\n` : '';
  const shown = indexes.filter((index) => [...rows.get(index)!.keys()].some((column) => subids.has(column)));
  if (shown.length === 0) {
    io.out(`${title}: No entries\n${warning}`);
    return 0;
  }
  if (brief) briefHeaders(columns);
  const cell = (index: string, column: Column): string => {
    const value: SnmpValue | undefined = rows.get(index)!.get(column.subid);
    if (value === undefined) return '?';
    const oid = `${tableOid}.1.${column.subid}.${index}`;
    return command.presenter.value(oid, value, quickSettings);
  };
  const indexText = (index: string) => {
    // The index as the column's OID prints it, after the column's name (`1."ab".10.0.0.1`, -OX `[1][ab][10.0.0.1]`).
    const name = command.presenter.oid(`${tableOid}.1.${columns[0]!.subid}.${index}`, quickSettings);
    const columnName = command.presenter.oid(`${tableOid}.1.${columns[0]!.subid}`, quickSettings);
    if (name.startsWith(`${columnName}.`)) return name.slice(columnName.length + 1);
    return name.startsWith(`${columnName}[`) ? name.slice(columnName.length) : index;
  };
  const grid = shown.map((index) => ({
    index: style.showIndex ? indexText(index) : '',
    cells: columns.map((c) => cell(index, c)),
  }));
  io.out(`${render(title, columns, grid, style, false)}${warning}`);
  return 0;
}

interface Row {
  /** The index as -Ci prints it. */
  index: string;
  cells: string[];
}

/**
 * The table as snmptable prints it: `headerOnly` (-Ch) the title-less header line(s) alone. -Cc gives every column
 * a fixed width (the value cut to fit) and -Cw wraps each row at that width; otherwise -Cw prints the columns in
 * parts, each with its title and header and the index column again.
 */
function render(title: string, columns: Column[], rows: Row[], style: Style, headerOnly: boolean): string {
  const headers = columns.map((c) => c.header);
  if (style.columnWidth !== undefined) return renderFixed(title, headers, rows, style, style.columnWidth, headerOnly);
  const widths = headers.map((header, c) => Math.max(bytes(header), ...rows.map((row) => bytes(row.cells[c]!))));
  // The index column is at least as wide as "index" and a space, and comes flush before the first column.
  const indexWidth = style.showIndex ? Math.max(6, ...rows.map((row) => bytes(row.index))) : 0;
  const { separator, left } = style;
  const line = (index: string, cells: string[], part: number[]): string => {
    if (separator !== undefined) {
      const fields = [...(style.showIndex ? [index] : []), ...part.map((c) => cells[c]!)];
      // Every field but the table's very first follows a separator: so does the first of a later part.
      return `${style.showIndex || part[0] === 0 ? '' : separator}${fields.join(separator)}\n`;
    }
    let text = style.showIndex ? pad(index, indexWidth, left) : '';
    for (const c of part)
      text += left ? `${pad(cells[c]!, widths[c]!, true)} ` : ` ${pad(cells[c]!, widths[c]!, false)}`;
    return `${text}\n`;
  };
  let out = '';
  // A column takes its width and a space (or a separator), also in -Cf's parts; the index column counts only with
  // the header line (snmptable's -CH parts leave it out).
  splitColumns(
    widths.map((w) => w + 1),
    style.headers ? indexWidth : 0,
    style.maxWidth,
  ).forEach((part, k) => {
    if (style.headers) {
      if (k > 0) out += `\nSNMP table ${title}, part ${k + 1}\n\n`;
      else if (!headerOnly) out += `SNMP table: ${title}\n\n`;
      out += line('index', headers, part);
    }
    if (!headerOnly) for (const row of rows) out += line(row.index, row.cells, part);
  });
  return out;
}

/**
 * -Cc: each column `width` characters, its value in all but the first (a space) or, -Cl, the last, and cut to fit.
 * -Cf does not apply, -Ci prints each row's index on a line of its own before it, and -Cw wraps the lines.
 */
function renderFixed(
  title: string,
  headers: string[],
  rows: Row[],
  style: Style,
  width: number,
  headerOnly: boolean,
): string {
  const parts = splitColumns(
    headers.map(() => width),
    0,
    style.maxWidth,
  );
  const lines = (cells: string[]): string =>
    parts
      .map((part) => {
        const fields = part.map((c) => {
          const text = cut(cells[c]!, width - 1);
          return style.left ? `${pad(text, width - 1, true)} ` : ` ${pad(text, width - 1, false)}`;
        });
        return `${fields.join('')}\n`;
      })
      .join('');
  let out = style.headers && !headerOnly ? `SNMP table: ${title}\n\n` : '';
  if (style.headers) out += lines(headers);
  if (headerOnly) return out;
  for (const row of rows) out += `${style.showIndex ? `\nindex: ${row.index}\n` : ''}${lines(row.cells)}`;
  return out;
}

/** snmptable measures in bytes (strlen): a UTF-8 `é` takes two columns of its width. */
function bytes(text: string): number {
  return Buffer.byteLength(text);
}

/** `text` padded with spaces to `width` bytes, after it (`left`) or before it. */
function pad(text: string, width: number, left: boolean): string {
  const spaces = ' '.repeat(Math.max(0, width - bytes(text)));
  return left ? text + spaces : spaces + text;
}

/**
 * -Cc's cut to `max` bytes. snmptable cuts bytes and may split a UTF-8 character, printing half of it; snmpkit
 * prints text, so it keeps the whole characters that fit and pads the rest.
 */
function cut(text: string, max: number): string {
  if (bytes(text) <= max) return text;
  let kept = '';
  for (const char of text) {
    if (bytes(kept) + bytes(char) > max) break;
    kept += char;
  }
  return kept;
}

/**
 * -Cw: the columns (by position) in parts whose widths, after `lead` (the index column), add up to at most
 * `maxWidth`; a part has at least one column however narrow. No `maxWidth`: one part.
 */
function splitColumns(widths: number[], lead: number, maxWidth: number | undefined): number[][] {
  const parts: number[][] = [];
  let part: number[] = [];
  let used = lead;
  widths.forEach((width, c) => {
    if (part.length > 0 && maxWidth !== undefined && used + width > maxWidth) {
      parts.push(part);
      part = [];
      used = lead;
    }
    part.push(c);
    used += width;
  });
  parts.push(part);
  return parts;
}

/**
 * C's atoi, as snmptable reads -Cc, -Cr and -Cw: leading white space, a sign and digits ("12abc" is 12, "abc" 0),
 * the number clamped to a long and then cut to an int ("4294967297" is 1).
 */
function atoi(word: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(word);
  if (!m) return 0;
  const long = clamp(BigInt(m[1]!), -(2n ** 63n), 2n ** 63n - 1n);
  return Number(BigInt.asIntN(32, long));
}

function clamp(n: bigint, low: bigint, high: bigint): bigint {
  return n < low ? low : n > high ? high : n;
}

/** -Cb: the common prefix of the first two column names is dropped from every name (skValue, skStatus: Value...). */
function briefHeaders(columns: Column[]): void {
  if (columns.length < 2) return;
  const [a, b] = [columns[0]!.header, columns[1]!.header];
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  for (const column of columns) column.header = column.header.slice(n);
}

/**
 * A row's index decoded by the table's INDEX clause, for --json: each part's INDEX object, its text as in a name
 * (`"127.0.0.1"`), its value (a number, or dotted text for IpAddress and OIDs; strings as `hex`), an enumeration's
 * `label` and an InetAddress's `address`. Empty without MIB modules or when the table is unknown.
 */
function indexParts(presenter: Presenter, oid: string): Record<string, unknown>[] {
  const decoded = presenter.mib?.indexOf(oid);
  if (!decoded || decoded.rest.length > 0) return [];
  return decoded.indexes.map((part) => ({
    name: part.name,
    text: part.text,
    ...(part.value instanceof Uint8Array ? { hex: Buffer.from(part.value).toString('hex') } : { value: part.value }),
    ...(part.label !== undefined ? { label: part.label } : {}),
    ...(part.address !== undefined ? { address: part.address } : {}),
  }));
}
