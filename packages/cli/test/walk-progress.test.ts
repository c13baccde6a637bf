/**
 * The walk's progress count, seen from a terminal: `script` gives snmpkit's stderr a pseudo-terminal and records
 * what reaches it. The count shows only while stdout goes to a regular file; beside a pipe (`| grep`, `| head`) the
 * reader writes to the same terminal and snmpwalk prints nothing there, so neither does snmpkit.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@snmpkit/simulator';
import { runProcess } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './run-snmpkit.js';

const SAMPLE_DEVICE = join(import.meta.dirname, '../data/sample-device.snmprec');

let simulator: Simulator;
let dir: string;

beforeAll(async () => {
  [simulator, dir] = await Promise.all([
    startSimulator({ data: SAMPLE_DEVICE, listen: ['udp:127.0.0.1:0'] }),
    mkdtemp(join(tmpdir(), 'snmpkit-progress-')),
  ]);
});

afterAll(async () => {
  await Promise.all([simulator?.close(), dir && rm(dir, { recursive: true, force: true })]);
});

/** Runs a shell line under `script`, whose terminal is snmpkit's stderr; resolves with what the terminal showed. */
async function onTerminal(shellLine: string): Promise<string> {
  const result = await runProcess('script', ['-qec', shellLine, '/dev/null'], { env: { MIBS: '', MIBDIRS: '/x' } });
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout;
}

function walkLine(): string {
  return `'${process.execPath}' '${BIN}' bulkwalk -v2c -c public ${simulator.endpoints[0]} .1.3.6.1.2.1`;
}

describe('walk progress on a terminal', () => {
  it('counts on stderr while stdout goes to a file, and erases the count at the end', async () => {
    const out = join(dir, 'out.txt');
    const screen = await onTerminal(`${walkLine()} > '${out}'`);
    expect(screen).toMatch(/\r\d+ objects?\.\.\./);
    expect(screen.endsWith('\r\x1b[K')).toBe(true);
    expect((await readFile(out, 'utf8')).split('\n')[0]).toMatch(/^iso\.3\.6\.1\.2\.1\.1\.1\.0 = STRING: /);
  });

  it('prints nothing beside a pipe: the reader shares the terminal', async () => {
    const screen = await onTerminal(`${walkLine()} | grep -c sysUpTime > /dev/null; ${walkLine()} | head -2`);
    expect(screen).not.toContain('object');
    expect(screen.replace(/\r/g, '').split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('prints nothing when stdout is the terminal too', async () => {
    const screen = await onTerminal(walkLine());
    expect(screen).not.toContain('objects...');
  });
});
