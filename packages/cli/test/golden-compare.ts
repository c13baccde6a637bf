/** The golden comparison: one command line through Net-SNMP's tool and through snmpkit, outputs compared. */
import { type NetSnmpTool, type ProcessResult, runNetSnmp } from '@snmpkit/testkit';
import { expect } from 'vitest';
import { NO_MIBS, runSnmpkit } from './run-snmpkit.js';

/** Values that may change between the Net-SNMP run and the snmpkit run (the agent's clock, its traffic). */
const VOLATILE = [
  '1.3.6.1.2.1.1.3.0', // sysUpTime
  '1.3.6.1.2.1.11', // snmp group: counts our own requests
  '1.3.6.1.2.1.25', // host resources: clocks, process tables
  '1.3.6.1.6.3', // engine time, stats
  '1.3.6.1.2.1.4', // ip counters
  '1.3.6.1.2.1.5', // icmp counters
  '1.3.6.1.2.1.6', // tcp counters and connections
  '1.3.6.1.2.1.7', // udp counters and endpoints (ours among them)
  '1.3.6.1.2.1.31.1.1.1', // ifXTable counters
];
/** ifTable's counters and ifLastChange (columns 9..22). */
const VOLATILE_IF_COLUMNS = /^1\.3\.6\.1\.2\.1\.2\.2\.1\.(9|1\d|2\d)\./;

function oidOfLine(line: string): string | undefined {
  const m = /^\.?((?:iso|\d)[.\d]*) (?:= )?/.exec(line);
  return m?.[1]?.replace(/^iso/, '1');
}

function isVolatile(line: string): boolean {
  const oid = oidOfLine(line);
  if (oid === undefined) return false;
  if (VOLATILE_IF_COLUMNS.test(`${oid}.`)) return true;
  return VOLATILE.some((p) => oid === p || oid.startsWith(`${p}.`));
}

/** Timings the tools print (snmpwalk -CT before each line, -Ct at the end) differ run to run: only their form counts. */
function withoutTimings(text: string): string {
  return text
    .replace(/^\d+\.\d{6} s: /gm, 'TIME s: ')
    .replace(/^Total traversal time = \d+\.\d{6} seconds$/gm, 'Total traversal time = TIME seconds');
}

function expectSameLines(netSnmp: string, snmpkit: string, label: string): void {
  const a = withoutTimings(netSnmp).split('\n');
  const b = withoutTimings(snmpkit).split('\n');
  expect(b.length, `${label}: line count\n--- net-snmp\n${netSnmp}\n--- snmpkit\n${snmpkit}`).toBe(a.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const bothVolatile = isVolatile(a[i]!) && oidOfLine(a[i]!) === oidOfLine(b[i]!);
    expect(bothVolatile ? a[i] : b[i], `${label}: line ${i + 1}`).toBe(a[i]);
  }
}

/** Net-SNMP names itself by its argv[0] in some messages (`snmpget:`, `/usr/bin/snmpget:`): read it as snmpkit's. */
function asSnmpkit(stderr: string): string {
  // On a loaded machine Net-SNMP's library now and then logs a parse complaint of its own ("buffer too small to read
  // octet string (17 < 17)") before the tool's real output: noise of the C library, not part of what is compared.
  return stderr
    .replace(/^buffer too small to read octet string \(\d+ < \d+\)\n/gm, '')
    .replace(/^(?:\/usr\/bin\/)?snmp([a-z]+):/gm, 'snmpkit $1:');
}

export interface CompareOptions {
  /** The environment of both runs, over NO_MIBS (SNMPCONFPATH for an snmp.conf of the case's own, say). */
  env?: Record<string, string>;
  /** Called after Net-SNMP's run and before snmpkit's (to collect and clear a file the tool wrote, say). */
  betweenRuns?: () => void;
}

/**
 * Runs `tool args` and `snmpkit COMMAND args` (COMMAND is the tool's name without "snmp"), with no MIB modules in
 * the environment (-m/-M in `args` load some), and expects the same stdout (volatile values aside), the same exit
 * code and the same stderr once Net-SNMP's program name is snmpkit's; for usage errors, the same lines up to the
 * usage line (the usage text itself is snmpkit's own). Returns both runs for further checks.
 */
export async function compareRuns(
  tool: NetSnmpTool,
  args: readonly string[],
  options: CompareOptions = {},
): Promise<{ theirs: ProcessResult; ours: ProcessResult }> {
  const command = tool.replace(/^snmp/, '');
  const label = `${tool} ${args.join(' ')}${options.env ? ` (env ${JSON.stringify(options.env)})` : ''}`;
  const env = { ...NO_MIBS, ...options.env };
  const theirs = await runNetSnmp(tool, args, { env });
  options.betweenRuns?.();
  const ours = await runSnmpkit([command, ...args], { env });
  expect(ours.stderr, `${label}: no stack trace`).not.toMatch(/\n\s+at /);
  expect(ours.exitCode, `${label}: exit code (stderr: ${ours.stderr})`).toBe(theirs.exitCode);
  expectSameLines(theirs.stdout, ours.stdout, label);
  const theirErr = asSnmpkit(theirs.stderr).split('\n');
  const usageAt = theirErr.findIndex((line) => line.startsWith('USAGE: '));
  if (usageAt >= 0) {
    const ourErr = ours.stderr.split('\n');
    expect(ourErr.slice(0, usageAt), `${label}: stderr`).toEqual(theirErr.slice(0, usageAt));
    expect(ourErr[usageAt], `${label}: usage follows`).toMatch(new RegExp(`^USAGE: snmpkit ${command}\\b`));
  } else {
    expect(withoutTimings(ours.stderr), `${label}: stderr`).toBe(withoutTimings(theirErr.join('\n')));
  }
  return { theirs, ours };
}

/** compareRuns for a test body: the comparison alone. */
export async function compareWithNetSnmp(
  tool: NetSnmpTool,
  args: readonly string[],
  options: CompareOptions = {},
): Promise<void> {
  await compareRuns(tool, args, options);
}
