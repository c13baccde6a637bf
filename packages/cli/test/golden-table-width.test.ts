/**
 * Golden comparisons of snmptable's -Cw NUM (the table in parts of at most NUM characters) and -Cc NUM (columns of
 * NUM characters), alone and with -Ci, -Cb, -Cl, -Cf, -Ch, -CH, against the fixture agent's skTable, an empty
 * table, and a real snmpd's ifTable (test/mibs/SNMPKIT-CLI-IF-MIB: its first eight columns). The numbers are read
 * as snmptable reads them, out-of-range ones refused the way it refuses them.
 */
import { SnmpValue, type VarBind } from '@snmpkit/ber';
import { type NetSnmpTool, runNetSnmp, type SnmpdInstance, startSnmpd } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithNetSnmp } from './golden-compare.js';
import { MIB, MIB_DIR, OBJECTS, ROW1, ROW2, T, useFixtureAgent } from './mib-fixture.js';
import { NO_MIBS, runSnmpkit } from './run-snmpkit.js';

const fixture = useFixtureAgent();
/** The same agent without skTable's rows: snmptable finds no entries. */
const empty = useFixtureAgent(OBJECTS.filter((vb) => !vb.oid.startsWith(`${T}.2.`)));
/** The same agent with a UTF-8 value in skTable, which snmptable measures (and -Cc cuts) in bytes. */
const utf8 = useFixtureAgent([
  ...OBJECTS,
  { oid: `${T}.2.1.6.${ROW2}`, value: SnmpValue.octetString(new TextEncoder().encode('héllo wörld')) },
]);
/**
 * Values in columns the module does not have (1, an index column, and 9, past the last), one in a row of its own:
 * with GETBULK snmptable sees them and warns; they make no row. And the same values with none in the module's columns.
 */
const EXTRA: VarBind[] = [
  { oid: `${T}.2.1.1.${ROW1}`, value: SnmpValue.integer(1) },
  { oid: `${T}.2.1.9.${ROW1}`, value: SnmpValue.integer(9) },
  { oid: `${T}.2.1.9.9.1.65.1.1.1.1`, value: SnmpValue.integer(9) },
];
const extra = useFixtureAgent([...OBJECTS, ...EXTRA]);
const extraOnly = useFixtureAgent([...OBJECTS.filter((vb) => !vb.oid.startsWith(`${T}.2.`)), ...EXTRA]);
let snmpd: SnmpdInstance;
beforeAll(async () => {
  snmpd = await startSnmpd({ transports: ['udp'] });
});
afterAll(async () => {
  await snmpd?.stop();
});

/** `@F` is the fixture agent, `@E`, `@U`, `@X`, `@XE` the others (empty, UTF-8, extra columns), `@D` snmpd. */
const agent = (args: string[]): string[] => {
  const peers: Record<string, () => string> = {
    '@F': () => `127.0.0.1:${fixture().port}`,
    '@E': () => `127.0.0.1:${empty().port}`,
    '@U': () => `127.0.0.1:${utf8().port}`,
    '@X': () => `127.0.0.1:${extra().port}`,
    '@XE': () => `127.0.0.1:${extraOnly().port}`,
    '@D': () => snmpd.endpoints.udp!,
  };
  return args.map((a) => peers[a]?.() ?? a);
};
const table =
  (peer: string, version: string) =>
  (...flags: string[]) => [version, '-c', 'public', ...MIB, ...flags, peer, 'skTable'];
const SK = table('@F', '-v2c');
const EMPTY = table('@E', '-v2c');
const UTF8 = table('@U', '-v2c');
/** snmpd's ifTable: with GETBULK snmptable warns that the agent has more columns (the module has eight). */
const IF = (...flags: string[]) => [
  '-v2c',
  '-c',
  'public',
  '-M',
  MIB_DIR,
  '-m',
  'SNMPKIT-CLI-IF-MIB',
  ...flags,
  '@D',
  'ifTable',
];

const CASES: string[][] = [
  // -Cw: as many columns as fit in NUM characters (a space before each), at least one per part; the parts after
  // the first have their own title, header line and (-Ci) index column.
  ...['49', '48', '40', '33', '32', '17', '16', '1', '-3', '12abc', ' 5', '+5', '4294967297'].map((n) => SK('-Cw', n)),
  SK('-Cw', '99999999999999999999'),
  SK('-Cw', '37', '-Ci'),
  SK('-Cw', '36', '-Ci'),
  SK('-Cw', '10', '-Ci'),
  SK('-Cw', '30', '-Cl'),
  SK('-Cw', '30', '-Cl', '-Ci'),
  SK('-Cw', '20', '-Cb'),
  SK('-Cw', '20', '-OX', '-Ci'),
  SK('-Cw', '20', '-Cf', ','),
  SK('-Cw', '20', '-Cf', ',', '-Ci'),
  SK('-Cw', '20', '-Ch'),
  SK('-Cw', '22', '-Ch', '-Ci'),
  SK('-Cw', '23', '-Ch', '-Ci'),
  SK('-Cw', '20', '-Ch', '-Cl', '-Ci'),
  SK('-Cw', '20', '-Ch', '-Cf', ','),
  SK('-Cw', '20', '-CH'),
  SK('-Cw', '20', '-CH', '-Ci'),
  SK('-Cw', '33', '-CH', '-Ci', '-Cl'),
  SK('-Cw', '20', '-Ch', '-CH'),
  SK('-Ch', '-CH'),
  // The value is the next word wherever the letter stands in its -C word; given again, the last counts.
  SK('-Cwi', '20'),
  SK('-C', 'w', '20'),
  SK('-Cw', '20', '-Cw', '40'),
  SK('-Cf', ',', '-Cf', ';'),
  // The other letters do not toggle: given twice is given.
  SK('-Cll', '-Ci', '-Ci', '-Cw', '30'),
  SK('-CHH', '-Cbb', '-Cc', '8'),
  SK('-Chh', '-CBB'),
  // -Cc: every column NUM characters, the value cut to NUM - 1; -Ci puts each index on a line of its own, -Cf
  // does not apply, -Cw wraps the lines.
  ...['20', '10', '5', '3', '4294967299'].map((n) => SK('-Cc', n)),
  SK('-Cc', '3', '-Cb'),
  SK('-Cc', '10', '-Ci'),
  SK('-Cc', '10', '-Cl'),
  SK('-Cc', '10', '-Cl', '-Ci'),
  SK('-Cc', '10', '-Cf', ',', '-Ci'),
  SK('-Cc', '10', '-Ch', '-Ci'),
  SK('-Cc', '10', '-Cl', '-Ch'),
  SK('-Cc', '10', '-CH', '-Ci'),
  SK('-Cc', '10', '-Ch', '-CH'),
  SK('-Cc', '10', '-Cw', '20'),
  SK('-Cc', '10', '-Cw', '19'),
  SK('-Cc', '10', '-Cw', '25', '-Ci'),
  SK('-Cc', '10', '-Cw', '25', '-Cl'),
  SK('-Cc', '10', '-Cw', '25', '-Ch'),
  SK('-Cc', '10', '-Cw', '25', '-CH'),
  SK('-Cwc', '40', '10'),
  SK('-Ccw', '10', '40'),
  SK('-Cr', '3x', '-Cw', '30'),
  // No entries: the parts and columns make no difference.
  EMPTY('-Cw', '10', '-Ci'),
  EMPTY('-Cc', '10', '-Ci', '-Cw', '10'),
  EMPTY('-Cw', '20', '-Ch'),
  // Widths in bytes. (-Cc cuts bytes too, splitting a character where the cut falls inside one: not compared.)
  UTF8(),
  UTF8('-Cl', '-Ci'),
  UTF8('-Cw', '30'),
  UTF8('-Cc', '4'),
  UTF8('-Cc', '9'),
  // Columns the module does not have: a warning after the table with GETBULK, not with GETNEXT (-CB, v1).
  table('@X', '-v2c')(),
  table('@X', '-v2c')('-CB'),
  table('@X', '-v1')(),
  table('@X', '-v2c')('-Cw', '30', '-Ci'),
  table('@X', '-v2c')('-Cc', '10', '-Ci'),
  table('@X', '-v2c')('-Ci', '-Cf', ',', '-CH'),
  table('@XE', '-v2c')(),
  table('@XE', '-v2c')('-CB'),
  // A real agent's table, its index narrower than the "index" header.
  IF(),
  IF('-CB'),
  IF('-Ci'),
  IF('-Ci', '-Cl'),
  IF('-Ci', '-Cw', '40'),
  IF('-Ci', '-Cw', '40', '-Cl'),
  IF('-CH', '-Ci', '-Cw', '20'),
  IF('-Cb', '-Ci', '-Cw', '50'),
  IF('-Ci', '-Cw', '60', '-Cf', '|'),
  IF('-Ci', '-Cc', '12', '-Cw', '80'),
  IF('-Ch', '-Ci', '-Cw', '30'),
];

/** Numbers snmptable refuses: its usage text, then the complaint, exit code 1. */
const REFUSED: string[][] = [
  ...['0', 'abc', '', '0x10', '4294967296', '-99999999999999999999'].map((n) => SK('-Cw', n)),
  ...['2', '1', '0', '-3', 'abc', '4294967298', '99999999999999999999'].map((n) => SK('-Cc', n)),
  SK('-Cr', '0'),
  SK('-Cr', 'x'),
  // The letter last on the command line, with no word left for its value.
  ...['-Cw', '-Cc', '-Cf', '-Cir'].map((letters) => [...SK(), letters]),
  EMPTY('-Cc', '1'),
];

const label = (args: string[]) => `snmptable ${args.filter((a) => !MIB.includes(a)).join(' ')}`;

describe('golden snmptable -Cw and -Cc', () => {
  it.each(CASES.map((args) => [label(args), args] as const))('%s', async (_, args) =>
    compareWithNetSnmp('snmptable', agent(args)),
  );
});

describe('golden snmptable -Cw, -Cc and -Cr numbers out of range', () => {
  it.each(REFUSED.map((args) => [label(args), args] as const))('%s', async (_, args) => {
    const tool: NetSnmpTool = 'snmptable';
    const theirs = await runNetSnmp(tool, agent(args), { env: NO_MIBS });
    const ours = await runSnmpkit(['table', ...agent(args)]);
    // Here the usage text comes first and the complaint last: each tool's own usage text, the same complaint.
    expect(theirs.stderr).toMatch(/^USAGE: snmptable /);
    expect(ours.stderr).toMatch(/^USAGE: snmpkit table /);
    expect(ours.stderr.trimEnd().split('\n').at(-1)).toBe(theirs.stderr.trimEnd().split('\n').at(-1));
    expect(ours.stderr.endsWith('\n')).toBe(true);
    expect([ours.exitCode, ours.stdout]).toEqual([theirs.exitCode, theirs.stdout]);
  });
});
