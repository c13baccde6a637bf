/**
 * snmpkit poll in-process (main() with captured output) against simulator agents on loopback: a targets file with
 * v1, v2c and v3 agents and one that does not answer; JSON lines and Net-SNMP lines prefixed with the agent; the
 * targets file's errors named by line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@snmpkit/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitWords } from '../src/commands/poll.js';
import { bufferIo } from '../src/io.js';
import { main } from '../src/main.js';

process.env.MIBS = '';

const DATA = join(import.meta.dirname, '../data/sample-device.snmprec');
const SYS_NAME = '1.3.6.1.2.1.1.5.0';
const IF_DESCR = '1.3.6.1.2.1.2.2.1.2';
const USER = 'ops:SHA-256:auth-pass-123:AES:priv-pass-456';

let simulators: Simulator[] = [];
let dir: string;
let dead: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'snmpkit-poll-'));
  for (let i = 0; i < 3; i++) {
    simulators.push(
      await startSimulator({
        data: DATA,
        listen: ['udp:127.0.0.1:0'],
        communities: ['public'],
        users: [USER],
      }),
    );
  }
  // A port that was bound, then closed: nothing answers there.
  const gone = await startSimulator({ data: DATA, listen: ['udp:127.0.0.1:0'] });
  dead = gone.endpoints[0]!;
  await gone.close();
});
afterAll(async () => {
  for (const s of simulators) await s.close();
  simulators = [];
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], stdin = '') {
  const io = bufferIo(stdin);
  const exitCode = await main(args, io);
  return { exitCode, stdout: io.stdout(), stderr: io.stderr() };
}

function targetsFile(lines: string[]): string {
  const file = join(dir, `targets-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('snmpkit poll', () => {
  it('polls v1, v2c and v3 agents from a targets file: one JSON line per agent, the dead one with its error', async () => {
    const [a, b, c] = simulators.map((s) => s.endpoints[0]!);
    const file = targetsFile([
      '# lab',
      `-v2c -c public ${a}`,
      '',
      `-v1 -c public ${b}`,
      `-v3 -u ops -l authPriv -a SHA-256 -A "auth-pass-123" -x AES -X 'priv-pass-456' ${c}`,
      `-v2c -c public -t 0.2 -r 1 ${dead}`,
    ]);
    const { exitCode, stdout, stderr } = await run(['poll', '--json', '--targets', file, SYS_NAME, '--walk', IF_DESCR]);
    expect(exitCode).toBe(1); // one agent failed
    const records = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records).toHaveLength(4);
    const byLine = new Map(records.map((r) => [r.line, r]));
    for (const line of [2, 4, 5]) {
      const r = byLine.get(line);
      expect(r, `line ${line}`).toMatchObject({ ok: true });
      expect(r.varbinds[0]).toMatchObject({ oid: SYS_NAME, value: 'sk2400-lab-01' });
      expect(r.varbinds.slice(1).map((v: { value: string }) => v.value)).toContain('GigabitEthernet0/1');
    }
    expect(byLine.get(6)).toMatchObject({
      ok: false,
      agent: dead,
      error: { code: 'ERR_SNMP_TIMEOUT', message: `Timeout: No Response from ${dead}.` },
    });
    expect(stderr).toMatch(/poll: 4\/4 targets, 3 done, 1 failed, 0 requests in flight/);
    // No secret in any output.
    expect(stdout + stderr).not.toMatch(/auth-pass-123|priv-pass-456/);
  });

  it("prints Net-SNMP's lines prefixed with the agent, tables in the agent's order; options on the command line are defaults", async () => {
    const [a] = simulators.map((s) => s.endpoints[0]!);
    const file = targetsFile([a!]);
    const { exitCode, stdout, stderr } = await run([
      'poll',
      '-v2c',
      '-c',
      'public',
      '-On',
      '--targets',
      file,
      SYS_NAME,
      '--table',
      '1.3.6.1.2.1.2.2',
    ]);
    expect(stderr).toMatch(/1\/1 targets, 1 done, 0 failed/);
    expect(exitCode).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(`${a}: .${SYS_NAME} = STRING: "sk2400-lab-01"`);
    expect(lines[1]).toMatch(new RegExp(`^${a}: \\.1\\.3\\.6\\.1\\.2\\.1\\.2\\.2\\.1\\.1\\.1 = INTEGER: 1$`));
    expect(lines).toContain(`${a}: .${IF_DESCR}.2 = STRING: "GigabitEthernet0/1"`);
    expect(lines.every((l) => l.startsWith(`${a}: `))).toBe(true);
  });

  it('reads the targets from stdin with -', async () => {
    const [a, b] = simulators.map((s) => s.endpoints[0]!);
    const { exitCode, stdout } = await run(
      ['poll', '--json', '--targets', '-', SYS_NAME],
      `-v2c -c public ${a}\n-v2c -c public ${b}\n`,
    );
    expect(exitCode).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(2);
  });

  it('names the line of a bad target, and refuses a command without work or targets', async () => {
    const file = targetsFile(['-v2c -c public 127.0.0.1:161', '-v9 127.0.0.1:161']);
    const bad = await run(['poll', '--targets', file, SYS_NAME]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain(`${file}:2: Invalid version specified after -v flag: 9`);
    const two = await run(['poll', '--targets', targetsFile(['-v2c -c public 127.0.0.1 127.0.0.2']), SYS_NAME]);
    expect(two.stderr).toMatch(/:1: expected \[OPTIONS\] AGENT, got 2 words/);
    expect((await run(['poll', '--targets', file])).stderr).toMatch(/poll needs OIDs to GET/);
    expect((await run(['poll', SYS_NAME])).stderr).toMatch(/poll needs --targets FILE/);
    expect((await run(['poll', '--targets', join(dir, 'missing'), SYS_NAME])).stderr).toMatch(/cannot read .*ENOENT/);
    expect((await run(['poll', '--targets', targetsFile(['# nothing']), SYS_NAME])).stderr).toMatch(/names no agent/);
    expect((await run(['poll', '--targets', file, '--per-target', '0', SYS_NAME])).stderr).toMatch(
      /--per-target needs a number >= 1/,
    );
  });

  it('splits a line as a shell would for quotes and escapes', () => {
    expect(splitWords(`-v3 -A "two words" -X 'it''s' a\\ b  c`)).toEqual([
      '-v3',
      '-A',
      'two words',
      '-X',
      'its',
      'a b',
      'c',
    ]);
    expect(() => splitWords('-A "open')).toThrow(/unterminated double quote/);
  });
});
