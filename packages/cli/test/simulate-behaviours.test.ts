/**
 * simulate's device behaviours as a user runs them: views (--view, --view-for), a sink and a scenario (--sink,
 * --scenario, received by Net-SNMP's snmptrapd), and the control endpoint driven from this process (--control).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NotificationPrinter, runNetSnmp, startSnmptrapd, waitFor } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runSnmpkit } from './run-snmpkit.js';

const DATA = `1.3.6.1.2.1.1.1.0|4|switch
1.3.6.1.2.1.1.5.0|4|sw1
1.3.6.1.2.1.2.1.0|2|2
1.3.6.1.2.1.2.2.1.1.1|2|1
1.3.6.1.2.1.2.2.1.1.2|2|2
1.3.6.1.2.1.2.2.1.8.1|2|1
1.3.6.1.2.1.2.2.1.8.2|2|1
1.3.6.1.2.1.2.2.1.9.1|67|0
1.3.6.1.2.1.2.2.1.9.2|67|0
`;

let dir: string;
let child: ChildProcess;
let out = '';
let endpoint: string;
let control: string;
let snmptrapd: NotificationPrinter & { dir: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snmpkit-simulate-behaviours-'));
  await writeFile(join(dir, 'switch.snmprec'), DATA);
  await writeFile(join(dir, 'lab.scenario'), '# at start\n0 device linkDown ifIndex=1\n');
  snmptrapd = await startSnmptrapd(['disableAuthorization yes']);
  child = spawn(
    process.execPath,
    [
      BIN,
      'simulate',
      '--data',
      join(dir, 'switch.snmprec'),
      '--listen',
      'udp:127.0.0.1:0',
      '--view',
      'sysonly included .1.3.6.1.2.1.1',
      '--view-for',
      'public=sysonly',
      '--sink',
      `trap2sink 127.0.0.1:${snmptrapd.port} public`,
      '--scenario',
      join(dir, 'lab.scenario'),
      '--control',
      '--live-counters',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  await waitFor(
    () => out,
    (t) => t.includes('listening on '),
    'simulate',
  );
  endpoint = /listening on (\S+)/.exec(out)![1]!;
  control = /control on (\S+)/.exec(out)![1]!;
}, 30_000);

afterAll(async () => {
  if (child?.exitCode === null && child.pid !== undefined) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid, 'SIGTERM');
    await exited;
  }
  await snmptrapd?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The OIDs a walk printed (not the endOfMibView line Net-SNMP prints when a view ends before the MIB does). */
const oids = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('.') && !l.includes('No more variables'))
    .map((l) => l.split(' ')[0]);

describe('simulate --view --sink --scenario --control', () => {
  it('the community with a view sees only the system group; the other sees everything', async () => {
    const seen = await runNetSnmp('snmpwalk', ['-v2c', '-c', 'public', '-On', endpoint, '.1']);
    expect(oids(seen.stdout)).toEqual(['.1.3.6.1.2.1.1.1.0', '.1.3.6.1.2.1.1.5.0']);
    const all = await runNetSnmp('snmpwalk', ['-v2c', '-c', 'private', '-On', endpoint, '.1']);
    expect(oids(all.stdout)).toHaveLength(9);
  });

  it('runs the scenario at start: interface 1 down, logged, linkDown received by snmptrapd', async () => {
    expect(out).toContain('scenario: 0 ms device linkDown\n');
    const get = await runNetSnmp('snmpget', ['-v2c', '-c', 'private', '-On', endpoint, '.1.3.6.1.2.1.2.2.1.8.1']);
    expect(get.stdout).toContain('INTEGER: 2');
    const text = await waitFor(snmptrapd.output, (t) => t.includes('iso.3.6.1.6.3.1.1.5.3'), 'the linkDown');
    expect(text).toContain('iso.3.6.1.2.1.2.2.1.8.1 = INTEGER: 2');
  });

  it('takes a command on the control endpoint from another process', async () => {
    const r = await fetch(`${control}/action`, {
      method: 'POST',
      body: JSON.stringify({ device: '*', action: 'linkDown', ifIndex: 2 }),
    });
    expect(await r.json()).toEqual({ ok: true, devices: 1 });
    const get = await runNetSnmp('snmpget', ['-v2c', '-c', 'private', '-On', endpoint, '.1.3.6.1.2.1.2.2.1.8.2']);
    expect(get.stdout).toContain('INTEGER: 2');
  });

  it('refuses a bad scenario line naming the file and line, and a view for nobody', async () => {
    const bad = join(dir, 'bad.scenario');
    await writeFile(bad, '0 device reboot\n5s device linkUp\n');
    const r = await runSnmpkit(['simulate', '--data', join(dir, 'switch.snmprec'), '--scenario', bad]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain(`${bad}:2: linkUp needs ifIndex`);
    const v = await runSnmpkit(['simulate', '--data', join(dir, 'switch.snmprec'), '--view-for', 'public=nope']);
    expect(v.exitCode).not.toBe(0);
    expect(v.stderr).toContain('no view "nope"');
  });
});
