import { spawn } from 'node:child_process';

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

export interface NetSnmpResult {
  stdout: string;
  stderr: string;
  /** The tool's exit code; null when it was killed by a signal (for example on `timeoutMs`). */
  exitCode: number | null;
  /** Wall-clock time from spawn to exit, ms: includes process start, as a user of the tool would see it. */
  durationMs: number;
}

/**
 * Runs one Net-SNMP command-line tool with `args` (no shell: arguments are passed as they are) and captures its
 * output. Never rejects because of the tool's exit code: callers assert on `exitCode`.
 */
export function runNetSnmp(tool: NetSnmpTool, args: readonly string[], options: RunNetSnmpOptions = {}) {
  if (!TOOLS.has(tool)) return Promise.reject(new TypeError(`not a Net-SNMP tool this helper runs: ${tool}`));
  const binDir = options.binDir ?? '/usr/bin';
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise<NetSnmpResult>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(`${binDir}/${tool}`, [...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MIBS: '', MIBDIRS: '/nonexistent', ...options.env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: code,
        durationMs: performance.now() - started,
      });
    });
  });
}
