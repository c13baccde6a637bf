/**
 * simulate and record as processes, as a user runs them: `snmpkit simulate` prints `listening on ENDPOINT` once it
 * answers and serves the data until SIGTERM; `snmpkit record` reads it back as .snmprec lines.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNetSnmp } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runSnmpkit } from './run-snmpkit.js';

const SAMPLE_DEVICE = join(dirname(fileURLToPath(import.meta.url)), '../data/sample-device.snmprec');

/** `snmpkit simulate ARGS` as a process, once it has printed its `listening on` lines (one per --listen). */
async function startSimulate(args: string[]): Promise<{ child: ChildProcess; endpoints: string[] }> {
  const wanted = args.filter((a) => a === '--listen').length;
  const proc = spawn(process.execPath, [BIN, 'simulate', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const listening = await new Promise<string[]>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const lines = out.split('\n').filter((l) => l.startsWith('listening on '));
      if (lines.length === wanted) resolve(lines.map((l) => l.slice('listening on '.length)));
    });
    proc.once('exit', (code) => reject(new Error(`simulate exited with ${code}`)));
  });
  return { child: proc, endpoints: listening };
}

async function stopSimulate(proc: ChildProcess): Promise<void> {
  if (proc.exitCode === null && proc.pid !== undefined) {
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    process.kill(proc.pid, 'SIGTERM');
    await exited;
  }
}

let child: ChildProcess;
let endpoints: string[] = [];

beforeAll(async () => {
  ({ child, endpoints } = await startSimulate([
    '--data',
    SAMPLE_DEVICE,
    '--listen',
    'udp:127.0.0.1:0',
    '--listen',
    'tcp:127.0.0.1:0',
  ]));
});

afterAll(() => stopSimulate(child));

describe('simulate and record', () => {
  it('listens on the real ports it was given as 0, on UDP and TCP', () => {
    expect(endpoints[0]).toMatch(/^udp:127\.0\.0\.1:[1-9]\d*$/);
    expect(endpoints[1]).toMatch(/^tcp:127\.0\.0\.1:[1-9]\d*$/);
  });

  it('serves the sample device: record gives back the data file (sysUpTime aside)', async () => {
    for (const endpoint of endpoints) {
      const recorded = await runSnmpkit(['record', '-v2c', '-c', 'public', endpoint]);
      expect(recorded.exitCode).toBe(0);
      const expected = readFileSync(SAMPLE_DEVICE, 'utf8').split('\n');
      const got = recorded.stdout.split('\n');
      expect(got).toHaveLength(expected.length);
      got.forEach((line, i) => {
        if (line.startsWith('1.3.6.1.2.1.1.3.0|')) expect(line).toMatch(/^1\.3\.6\.1\.2\.1\.1\.3\.0\|67\|\d+$/);
        else expect(line).toBe(expected[i]);
      });
    }
  });

  it('records `.1` (one arc: the whole tree) as snmpwalk walks it: the same objects snmpwalk prints', async () => {
    const recorded = await runSnmpkit(['record', '-v2c', '-c', 'public', endpoints[0]!, '.1']);
    expect(recorded.stderr).toBe('');
    expect(recorded.exitCode).toBe(0);
    const walked = await runNetSnmp('snmpwalk', ['-v2c', '-c', 'public', '-On', endpoints[0]!, '.1']);
    expect(walked.exitCode, walked.stderr).toBe(0);
    // The OID of each record, and of each varbind snmpwalk prints (not the continuation lines of a multi-line STRING).
    const recordedOids = recorded.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.slice(0, l.indexOf('|')));
    // (snmpwalk ends with the last OID again, "= No more variables left in this MIB View": no object.)
    const walkedOids = [...walked.stdout.matchAll(/^\.(\d+(?:\.\d+)+) = (?!No more variables)/gm)].map((m) => m[1]);
    expect(recordedOids).toEqual(walkedOids);
    expect(recordedOids.length).toBeGreaterThan(10);
  });

  it('records a subtree, over v1 too', async () => {
    const recorded = await runSnmpkit(['record', '-v1', '-c', 'public', endpoints[0]!, '.1.3.6.1.2.1.31.1.1.1.6']);
    expect(recorded.stdout).toBe(
      readFileSync(SAMPLE_DEVICE, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('1.3.6.1.2.1.31.1.1.1.6.') && !l.includes('|70|'))
        .map((l) => `${l}\n`)
        .join(''),
    );
  });

  it('record refuses --json and -d (it prints .snmprec lines, and dumps nothing), and its --help lists what it reads', async () => {
    for (const flag of ['--json', '-d']) {
      const r = await runSnmpkit(['record', flag, '-v2c', '-c', 'public', endpoints[0]!]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`snmpkit record: ${flag} does not apply: record prints .snmprec lines (OID|TAG|VALUE)\n`);
    }
    const help = await runSnmpkit(['record', '--help']);
    // --help (not a Net-SNMP option) answers on stdout with exit 0, as modern tools do.
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('-c COMMUNITY');
    expect(help.stdout).toContain('r<NUM>:  set max-repetitions');
    for (const unread of ['--json', '-O OUTOPTS', '-d\t', '-m MIB']) expect(help.stdout).not.toContain(unread);
  });

  it('is reachable through the installed command (bin/snmpkit.js, which npm links as `snmpkit`)', async () => {
    const { execFile } = await import('node:child_process');
    const bin = join(dirname(fileURLToPath(import.meta.url)), '../bin/snmpkit.js');
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        bin,
        ['get', '-v2c', '-c', 'public', '-Oqv', endpoints[0]!, 'sysName.0'],
        // No snmp.conf either (Debian's says `mibs :`): the default modules.
        { env: { ...process.env, MIBS: undefined, MIBDIRS: '/nonexistent', SNMPCONFPATH: '/nonexistent' } },
        (error, out) => (error ? reject(error) : resolve(out)),
      ),
    );
    // Default MIB modules (built into @snmpkit/mib): sysName is a DisplayString, printed without quotes.
    expect(stdout).toBe('sk2400-lab-01\n');
  });

  it("follows snmp.conf's `mibs :` (Debian's default: no MIB modules) as snmpget does: numeric output", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snmpkit-snmpconf-'));
    try {
      await writeFile(join(dir, 'snmp.conf'), '# as Debian ships it\nmibs :\n');
      // MIBS and MIBDIRS unset (spawn drops undefined values), not empty: snmp.conf alone decides.
      const env = { MIBS: undefined, MIBDIRS: undefined, SNMPCONFPATH: dir } as unknown as Record<string, string>;
      const args = ['-v2c', '-c', 'public', endpoints[0]!, '1.3.6.1.2.1.1.5.0'];
      const theirs = await runNetSnmp('snmpget', args, { env });
      const ours = await runSnmpkit(['get', ...args], { env });
      expect(theirs.stdout).toBe('iso.3.6.1.2.1.1.5.0 = STRING: "sk2400-lab-01"\n');
      expect(ours.stdout).toBe(theirs.stdout);
      expect(ours.exitCode).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("under snmp.conf's `mibs :`, a module named explicitly is used, built in where its file is missing", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snmpkit-snmpconf-'));
    try {
      await writeFile(join(dir, 'snmp.conf'), 'mibs :\n');
      const env = { MIBS: undefined, MIBDIRS: '/nonexistent', SNMPCONFPATH: dir } as unknown as Record<string, string>;
      const get = await runSnmpkit(['get', '-v2c', '-c', 'public', endpoints[0]!, 'SNMPv2-MIB::sysName.0'], { env });
      expect(get).toMatchObject({ exitCode: 0, stderr: '', stdout: 'SNMPv2-MIB::sysName.0 = STRING: sk2400-lab-01\n' });
      const named = await runSnmpkit(['get', '-v2c', '-c', 'public', '-m', 'IF-MIB', endpoints[0]!, 'sysName.0'], {
        env,
      });
      expect(named).toMatchObject({ exitCode: 0, stdout: 'SNMPv2-MIB::sysName.0 = STRING: sk2400-lab-01\n' });
      const translated = await runSnmpkit(['translate', '-On', 'IF-MIB::ifDescr.3'], { env });
      expect(translated).toMatchObject({ exitCode: 0, stderr: '', stdout: '.1.3.6.1.2.1.2.2.1.2.3\n' });
      // A module neither on the path nor built in: Net-SNMP's warning, then its lookup error.
      const missing = await runSnmpkit(['translate', 'NOPE-MIB::x'], { env });
      const theirs = await runNetSnmp('snmptranslate', ['NOPE-MIB::x'], { env });
      expect(missing.stderr).toBe(theirs.stderr);
      expect(missing.stderr).toMatch(
        /^MIB search path: \/nonexistent\nCannot find module \(NOPE-MIB\): At line 0 in \(none\)\n/,
      );
      expect(missing.exitCode).toBe(theirs.exitCode);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    process.kill(child.pid!, 'SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('simulate --user and --rw-user', () => {
  it('serves --user read-only (as snmpd rouser) and lets --rw-user SET (rwuser) through access control', async () => {
    const sim = await startSimulate([
      '--data',
      SAMPLE_DEVICE,
      '--listen',
      'udp:127.0.0.1:0',
      '--user',
      'reader:SHA:reader-pass:AES:reader-priv',
      '--rw-user',
      'writer:SHA:writer-pass:AES:writer-priv',
    ]);
    try {
      const peer = sim.endpoints[0]!;
      const v3 = (name: string) => [
        '-v3',
        '-u',
        name,
        '-l',
        'authPriv',
        '-a',
        'SHA',
        '-A',
        `${name}-pass`,
        '-x',
        'AES',
      ];
      const set = (name: string) =>
        runNetSnmp('snmpset', [...v3(name), '-X', `${name}-priv`, '-On', peer, '1.3.6.1.2.1.1.5.0', 's', 'renamed']);
      const denied = await set('reader');
      expect(denied.exitCode).toBe(2);
      expect(denied.stderr).toContain('noAccess');
      // The sample device has nothing writable: the writer passes access control and meets the object's own
      // notWritable, where the reader is stopped before it with noAccess.
      const allowed = await set('writer');
      expect(allowed.exitCode).toBe(2);
      expect(allowed.stderr).toContain('notWritable');
    } finally {
      await stopSimulate(sim.child);
    }
  });
});

describe('record over SNMPv3 (the -u -l -a -A -x -X options reach @snmpkit/session and @snmpkit/usm)', () => {
  it('records the same objects over v3 authPriv as over v2c, from a real snmpd', async () => {
    const { startSnmpd } = await import('@snmpkit/testkit');
    const snmpd = await startSnmpd({
      transports: ['udp'],
      users: [
        {
          name: 'kit',
          authProtocol: 'SHA-256',
          authPassword: 'kit-auth-pass',
          privProtocol: 'AES',
          privPassword: 'kit-priv-pass',
        },
      ],
    });
    try {
      const peer = snmpd.endpoints.udp!;
      const v3 = [
        '-v3',
        '-u',
        'kit',
        '-l',
        'authPriv',
        '-a',
        'SHA-256',
        '-A',
        'kit-auth-pass',
        '-x',
        'AES',
        '-X',
        'kit-priv-pass',
      ];
      const overV3 = await runSnmpkit(['record', ...v3, peer, '.1.3.6.1.2.1.1.9']);
      const overV2c = await runSnmpkit(['record', '-v2c', '-c', 'public', peer, '.1.3.6.1.2.1.1.9']);
      expect(overV3.stderr).toBe('');
      expect(overV3.exitCode).toBe(0);
      expect(overV3.stdout).toBe(overV2c.stdout);
      expect(overV3.stdout.split('\n').length).toBeGreaterThan(10);
      // A wrong privacy pass phrase: snmpd cannot decrypt and stays silent. record walks with the session, so it
      // says what snmpwalk says for the same command line, with its exit code.
      const wrongArgs = [...v3.slice(0, -1), 'not-the-pass', '-t', '0.5', '-r', '0', peer];
      const wrong = await runSnmpkit(['record', ...wrongArgs]);
      const snmpwalk = await runNetSnmp('snmpwalk', wrongArgs);
      expect([wrong.stderr, wrong.exitCode]).toEqual([snmpwalk.stderr, snmpwalk.exitCode]);
      expect(wrong.exitCode).toBe(1);
      expect(wrong.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await snmpd.stop();
    }
  });
});

describe('npm start (dist/demo.js)', () => {
  it('serves the sample device and walks it with the snmpkit binary, names and enums included', async () => {
    const { execFile } = await import('node:child_process');
    const demo = join(dirname(fileURLToPath(import.meta.url)), '../dist/demo.js');
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [demo],
        { env: { ...process.env, MIBS: undefined, MIBDIRS: '/nonexistent' } },
        (error, out) => (error ? reject(error) : resolve(out)),
      ),
    );
    const lines = stdout.split('\n');
    expect(lines[1]).toMatch(
      /^\$ snmpkit walk -v2c -c public -m SNMPv2-MIB:IF-MIB:IP-MIB udp:127\.0\.0\.1:\d+ \.1\.3\.6\.1$/,
    );
    expect(stdout).toContain('SNMPv2-MIB::sysName.0 = STRING: sk2400-lab-01\n');
    expect(stdout).toContain('IF-MIB::ifType.2 = INTEGER: ethernetCsmacd(6)\n');
    expect(stdout).toContain('IF-MIB::ifHCInOctets.4 = Counter64: 18446744073709551000\n');
    expect(lines.length).toBeGreaterThan(100);
  });
});

describe('simulate --data DIR, laid out as snmpsim lays it out', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'snmpkit-simulate-dir-'));
    await mkdir(join(dir, 'recorded'));
    await writeFile(join(dir, 'README.txt'), 'notes, no data\n');
    await writeFile(join(dir, 'recorded', 'linux.snmprec'), '1.3.6.1.2.1.1.1.0|4|nested\n1.3.6.1.2.1.1.3.0|67|4242\n');
    await writeFile(join(dir, 'bad.snmprec'), '1.3.6.1.2.1.1.1.0|4|bad\n1.3.6.1.2.1.31.1.1.1.1.1|2|Fa3/0/1\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints each data file and its community/context, warns of a record it answers noSuchInstance', async () => {
    const proc = spawn(
      process.execPath,
      [BIN, 'simulate', '--data', dir, '--listen', 'udp:127.0.0.1:0', '--recorded-uptime'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      let err = '';
      proc.stderr!.on('data', (b: Buffer) => {
        err += b.toString();
      });
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        proc.stdout!.on('data', (b: Buffer) => {
          text += b.toString();
          if (text.includes('listening on ')) resolve(text);
        });
        proc.once('exit', (code) => reject(new Error(`simulate exited with ${code}: ${err}`)));
      });
      const lines = out.split('\n');
      expect(lines.slice(0, 2)).toEqual([
        `serving ${join(dir, 'bad.snmprec')} as community/context "bad"`,
        `serving ${join(dir, 'recorded', 'linux.snmprec')} as community/context "recorded/linux"`,
      ]);
      expect(err).toContain(
        `warning: ${join(dir, 'bad.snmprec')}:2: 1.3.6.1.2.1.31.1.1.1.1.1: Integer value "Fa3/0/1" is not a whole number`,
      );
      const endpoint = lines[2]!.slice('listening on '.length);
      const r = await runNetSnmp('snmpget', [
        '-v2c',
        '-c',
        'recorded/linux',
        '-On',
        endpoint,
        '1.3.6.1.2.1.1.1.0',
        '1.3.6.1.2.1.1.3.0',
      ]);
      expect(r.stdout).toBe(
        '.1.3.6.1.2.1.1.1.0 = STRING: "nested"\n.1.3.6.1.2.1.1.3.0 = Timeticks: (4242) 0:00:42.42\n',
      );
    } finally {
      await stopSimulate(proc);
    }
  });

  it('--strict refuses the directory, naming file, line and why', async () => {
    const r = await runSnmpkit(['simulate', '--strict', '--data', dir, '--listen', 'udp:127.0.0.1:0']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'bad.snmprec')}:2: 1.3.6.1.2.1.31.1.1.1.1.1: Integer value "Fa3/0/1"`);
  });
});
