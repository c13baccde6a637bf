#!/usr/bin/env node
// `npm test`: turbo runs lint, typecheck and every workspace's vitest suite, and its output streams through here
// unchanged; at the end comes one line with the totals over all suites ("N passed, N failed, N skipped"), since
// vitest prints its summary per package, 1,000 lines up. Arguments replace the default turbo arguments (.ci/run's
// container pass). With SNMPKIT_TEST_TOTALS set to a file, the totals are also appended there as JSON.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const args = process.argv.slice(2);
const turboArgs = args.length > 0 ? args : ['run', 'lint', 'typecheck', 'test', '--continue', '--concurrency=3'];
const child = spawn('npx', ['turbo', ...turboArgs], { stdio: ['ignore', 'pipe', 'pipe'] });

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedTasks = [];
const failedFiles = new Map();
// biome-ignore lint/suspicious/noControlCharactersInRegex: turbo passes vitest's colours through
const ansi = /\x1b\[[0-9;]*m/g;
function read(stream, out) {
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on('line', (line) => {
    out.write(`${line}\n`);
    const plain = line.replace(ansi, '');
    // vitest's per-package summary: "pkg:test:  Test Files  1 failed | 9 passed (10)", then
    // "pkg:test:       Tests  2 failed | 11 passed | 1 skipped (14)". A file that fails in a hook (an agent that
    // did not start) reports its tests as skipped, not failed: such a package counts at least its failed files.
    const files = /^(\S+):test: +Test Files +(?:(\d+) failed)?/.exec(plain);
    if (files) failedFiles.set(files[1], Number(files[2] ?? 0));
    const tests = /^(\S+):test: +Tests +\d/.exec(plain);
    if (tests) {
      const count = (kind) => Number(new RegExp(`(\\d+) ${kind}`).exec(plain)?.[1] ?? 0);
      totals.passed += count('passed');
      totals.skipped += count('skipped');
      totals.failed += Math.max(count('failed'), failedFiles.get(tests[1]) ?? 0);
    }
    // turbo's summary: "Failed:    @snmpkit/ber#test, @snmpkit/session#test"
    const failed = /^ *Failed: +(.+)$/.exec(plain);
    if (failed) failedTasks.push(...failed[1].split(/, */).filter(Boolean));
  });
  return new Promise((resolve) => lines.on('close', resolve));
}
const done = Promise.all([read(child.stdout, process.stdout), read(child.stderr, process.stderr)]);
const [code] = await Promise.all([
  new Promise((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0)))),
  done,
]);
if (process.env.SNMPKIT_TEST_TOTALS) appendFileSync(process.env.SNMPKIT_TEST_TOTALS, `${JSON.stringify(totals)}\n`);
if (failedTasks.length > 0) console.log(`failed tasks: ${failedTasks.join(', ')}`);
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(code);
