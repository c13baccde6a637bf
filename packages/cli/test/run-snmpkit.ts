/** Runs the built snmpkit binary as a user would: a process, its output and exit code. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ProcessResult, type RunProcessOptions, runProcess } from '@snmpkit/testkit';

/** What `npm install` links as `snmpkit`: it runs the bundled build (dist/bundle) when there is one. */
export const BIN = join(dirname(fileURLToPath(import.meta.url)), '../bin/snmpkit.js');

/** The environment both Net-SNMP's tools and snmpkit get in the golden tests: no MIB modules at all. */
export const NO_MIBS = { MIBS: '', MIBDIRS: '/nonexistent' };

export function runSnmpkit(args: readonly string[], options: RunProcessOptions = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [BIN, ...args], { ...options, env: { ...NO_MIBS, ...options.env } });
}
