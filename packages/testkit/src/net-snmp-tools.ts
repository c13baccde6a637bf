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
  /** Extra environment; MIBS and MIBDIRS are emptied by default so that no MIB loading warnings pollute stderr. */
  env?: Record<string, string>;
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
    env: { MIBS: '', MIBDIRS: '/nonexistent', ...options.env },
    timeoutMs: options.timeoutMs,
  });
}
