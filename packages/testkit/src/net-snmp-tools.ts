import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ProcessResult, runProcess } from './process.js';

/** The Net-SNMP command-line tools this helper runs (from the Debian package `snmp`). */
export type NetSnmpTool =
  | 'snmpget'
  | 'snmpgetnext'
  | 'snmpbulkget'
  | 'snmpwalk'
  | 'snmpbulkwalk'
  | 'snmpset'
  | 'snmptable'
  | 'snmptranslate'
  | 'snmptrap'
  | 'snmpinform'
  | 'snmpstatus';

const TOOLS: ReadonlySet<string> = new Set<NetSnmpTool>([
  'snmpget',
  'snmpgetnext',
  'snmpbulkget',
  'snmpwalk',
  'snmpbulkwalk',
  'snmpset',
  'snmptable',
  'snmptranslate',
  'snmptrap',
  'snmpinform',
  'snmpstatus',
]);

export interface RunNetSnmpOptions {
  /** Kill the tool (SIGKILL, by PID) after this many ms. Default 30 000. */
  timeoutMs?: number;
  /** Directory holding the tools. Default /usr/bin. */
  binDir?: string;
  /**
   * Extra environment. By default MIBS and MIBDIRS are emptied, so that no MIB loading warnings pollute stderr, and
   * SNMP_PERSISTENT_DIR is a directory of this process's own (see below).
   */
  env?: Record<string, string>;
}

let persistentDir: string | undefined;

/**
 * The tools' persistent directory (where they keep snmpapp.conf), one per test process and removed when it exits.
 * Why not the system's /var/lib/snmp: on a fresh machine the first tool run there prints "Created directory:
 * /var/lib/snmp/cert_indexes" on stderr, which would fail whichever test ran first; tools run in parallel also race
 * on that one file. Made with cert_indexes inside, so the tools never create (and announce) anything.
 */
function toolsPersistentDir(): string {
  if (persistentDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'snmpkit-net-snmp-tools-'));
    mkdirSync(join(dir, 'cert_indexes'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    persistentDir = dir;
  }
  return persistentDir;
}

/** What a tool printed, its exit code and how long it ran. */
export type NetSnmpResult = ProcessResult;

/**
 * Runs one Net-SNMP command-line tool with `args` (no shell: arguments are passed as they are) and captures its
 * output. Never rejects because of the tool's exit code: callers assert on `exitCode`.
 */
export function runNetSnmp(
  tool: NetSnmpTool,
  args: readonly string[],
  options: RunNetSnmpOptions = {},
): Promise<NetSnmpResult> {
  if (!TOOLS.has(tool)) return Promise.reject(new TypeError(`not a Net-SNMP tool this helper runs: ${tool}`));
  const binDir = options.binDir ?? '/usr/bin';
  // No MIB files: the tools would print a page of warnings about missing modules on stderr.
  return runProcess(`${binDir}/${tool}`, args, {
    env: { MIBS: '', MIBDIRS: '/nonexistent', SNMP_PERSISTENT_DIR: toolsPersistentDir(), ...options.env },
    timeoutMs: options.timeoutMs,
  });
}
