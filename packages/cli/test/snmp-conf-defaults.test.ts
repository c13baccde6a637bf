/**
 * snmp.conf's client defaults (defVersion, defCommunity, the v3 user, defaultPort, timeout, retries...) against
 * Net-SNMP's tools: each case writes the files into a directory of its own, runs the tool and snmpkit with the same
 * SNMPCONFPATH and arguments against a real snmpd (or a UDP socket that never answers), and expects the same
 * stdout, exit code and stderr (Net-SNMP's program name read as snmpkit's; for usage errors the first line).
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  type NetSnmpResult,
  type NetSnmpTool,
  runNetSnmp,
  type SnmpdInstance,
  startSnmpd,
  TEST_AUTH_PASSWORD,
  TEST_PRIV_PASSWORD,
  testUser,
} from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from './golden-compare.js';
import { runSnmpkit } from './run-snmpkit.js';

const SYS_NAME = '.1.3.6.1.2.1.1.5.0';
const SYS_OR_ID = '.1.3.6.1.2.1.1.9.1.2';
const COLD_START = '.1.3.6.1.6.3.1.1.5.1';
const USER = testUser('SHA-256', 'AES-192');

let snmpd: SnmpdInstance;
/** A UDP socket that reads and never answers: requests to it time out, notifications to it are counted. */
let silent: Socket;
let silentPort: number;
const received: Buffer[] = [];
let root: string;
let cases = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'snmpkit-snmp-conf-'));
  silent = createSocket('udp4');
  silent.on('message', (message) => received.push(message));
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  silentPort = silent.address().port;
  snmpd = await startSnmpd({ transports: ['udp', 'udp6'], users: [USER, testUser('SHA')] });
});

afterAll(async () => {
  await snmpd?.stop();
  await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Writes `files` (paths relative to a new directory) and returns the directory. */
function writeConf(files: Record<string, string>): string {
  const dir = join(root, `case-${++cases}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

interface Runs {
  dir: string;
  theirs: NetSnmpResult;
  ours: NetSnmpResult;
}

/**
 * Runs `tool args` and `snmpkit COMMAND args` with SNMPCONFPATH set to the files' directory (or what `path` makes
 * of it) and expects the same results (golden-compare.ts).
 */
async function compare(
  files: Record<string, string>,
  tool: NetSnmpTool,
  args: string[],
  path: (dir: string) => string = (dir) => dir,
): Promise<Runs> {
  const dir = writeConf(files);
  return { dir, ...(await compareRuns(tool, args, { env: { SNMPCONFPATH: path(dir) } })) };
}

const agent = () => snmpd.endpoints.udp!;
const v2c = 'defVersion 2c\ndefCommunity public\n';
const v3User = [
  `defSecurityName ${USER.name}`,
  'defSecurityLevel authPriv',
  'defAuthType SHA-256',
  'defPrivType AES-192',
  `defAuthPassphrase ${TEST_AUTH_PASSWORD}`,
  `defPrivPassphrase ${TEST_PRIV_PASSWORD}`,
  '',
].join('\n');

describe('snmp.conf session defaults, as Net-SNMP takes them', () => {
  it('defVersion and defCommunity: a get with neither -v nor -c', async () => {
    const { ours } = await compare({ 'snmp.conf': v2c }, 'snmpget', ['-On', agent(), SYS_NAME]);
    expect(ours.stdout).toMatch(/^\.1\.3\.6\.1\.2\.1\.1\.5\.0 = STRING: /);
  });

  it('matches token names in any case, takes "v1", a quoted community, and the other agent commands', async () => {
    const conf = { 'snmp.conf': 'DEFVERSION v1\ndefcommunity "public"\n' };
    await compare(conf, 'snmpget', ['-On', agent(), SYS_NAME]);
    await compare(conf, 'snmpwalk', ['-On', agent(), SYS_OR_ID]);
    await compare(conf, 'snmpgetnext', ['-On', agent(), SYS_NAME]);
    // GETBULK in the v1 session snmp.conf asked for is refused, as by Net-SNMP.
    await compare(conf, 'snmpbulkget', ['-On', agent(), SYS_OR_ID]);
    await compare({ 'snmp.conf': v2c }, 'snmpbulkwalk', ['-On', agent(), SYS_OR_ID]);
    await compare({ 'snmp.conf': 'defVersion 2c\ndefCommunity private\n' }, 'snmpset', [
      '-On',
      agent(),
      snmpd.writableOid,
      's',
      'from snmp.conf',
    ]);
  });

  it('an SNMPv3 authPriv user entirely from snmp.conf', async () => {
    const { ours } = await compare({ 'snmp.conf': v3User }, 'snmpget', ['-On', agent(), SYS_NAME]);
    expect(ours.exitCode).toBe(0);
    await compare({ 'snmp.conf': v3User }, 'snmpwalk', ['-On', agent(), SYS_OR_ID]);
  });

  it('protocol names as Net-SNMP reads them: any case, dashes ignored, the first protocol a name begins', async () => {
    const abbreviated = v3User.replace('SHA-256', 'sha256').replace('AES-192', 'AES-19');
    const { ours } = await compare({ 'snmp.conf': abbreviated }, 'snmpget', ['-On', agent(), SYS_NAME]);
    expect(ours.exitCode).toBe(0);
    // SHA-2 is SHA-224 (not this user's SHA-256), on the command line as in snmp.conf; SHA-2x is nothing.
    await compare({ 'snmp.conf': v3User }, 'snmpget', ['-On', '-a', 'SHA-2', agent(), SYS_NAME]);
    await compare({ 'snmp.conf': v3User.replace('SHA-256', 'SHA-2') }, 'snmpget', ['-On', agent(), SYS_NAME]);
    await compare({ 'snmp.conf': v3User }, 'snmpget', ['-On', '-a', 'SHA-2x', agent(), SYS_NAME]);
  });

  it('defPassphrase stands for a pass phrase snmp.conf does not give on its own, in either order', async () => {
    const base = v3User.replace(/^def(Auth|Priv)Passphrase .*\n/gm, '');
    for (const text of [
      `${base}defPassphrase ${TEST_PRIV_PASSWORD}\ndefAuthPassphrase ${TEST_AUTH_PASSWORD}\n`,
      `${base}defAuthPassphrase ${TEST_AUTH_PASSWORD}\ndefPassphrase ${TEST_PRIV_PASSWORD}\n`,
    ]) {
      const { ours } = await compare({ 'snmp.conf': text }, 'snmpget', ['-On', agent(), SYS_NAME]);
      expect(ours.exitCode).toBe(0);
    }
  });

  it('the command line wins over snmp.conf', async () => {
    const conf = { 'snmp.conf': `${v2c}${v3User}` };
    // -v3 takes the v3 user of snmp.conf; -v1 its community.
    await compare(conf, 'snmpget', ['-On', '-v3', agent(), SYS_NAME]);
    await compare(conf, 'snmpget', ['-On', '-v1', agent(), SYS_NAME]);
    // Another user and level: authNoPriv with snmp.conf's pass phrase but -a's protocol.
    const shaOnly = testUser('SHA');
    const { ours } = await compare(conf, 'snmpget', [
      '-On',
      '-v3',
      '-u',
      shaOnly.name,
      '-l',
      'authNoPriv',
      '-a',
      'SHA',
      agent(),
      SYS_NAME,
    ]);
    expect(ours.exitCode).toBe(0);
    // A wrong -c or -A is used, not snmp.conf's right one.
    await compare(conf, 'snmpget', ['-On', '-v3', '-A', 'wrong-pass-1', agent(), SYS_NAME]);
    await compare(conf, 'snmpget', ['-On', '-r0', '-t', '0.5', '-c', 'nosuch', agent(), SYS_NAME]);
  });

  it("a -X with neither -A nor -a: Net-SNMP has no protocol for its key, snmp.conf's pass phrase and type or not", async () => {
    const conf = { 'snmp.conf': v3User.replace(/^defPrivPassphrase .*\n/m, '') };
    await compare(conf, 'snmpget', ['-On', '-X', TEST_PRIV_PASSWORD, agent(), SYS_NAME]);
    await compare({}, 'snmpget', ['-On', '-v2c', '-c', 'public', '-X', TEST_PRIV_PASSWORD, agent(), SYS_NAME]);
    const { ours } = await compare(conf, 'snmpget', [
      '-On',
      '-a',
      'SHA-256',
      '-X',
      TEST_PRIV_PASSWORD,
      agent(),
      SYS_NAME,
    ]);
    expect(ours.exitCode).toBe(0);
  });

  it('defContext and defSecurityLevel: an unknown context, a lower level than the user needs', async () => {
    await compare({ 'snmp.conf': `${v3User}defContext nosuch\n` }, 'snmpget', ['-On', '-r0', agent(), SYS_NAME]);
    await compare({ 'snmp.conf': `${v3User}defSecurityLevel authNoPriv\n` }, 'snmpget', ['-On', agent(), SYS_NAME]);
  });

  it('without snmp.conf the version is SNMPv3 and a community alone is not enough', async () => {
    await compare({}, 'snmpget', ['-On', agent(), SYS_NAME]);
    await compare({ 'snmp.conf': 'defCommunity public\n' }, 'snmpget', ['-On', agent(), SYS_NAME]);
    await compare({ 'snmp.conf': 'defVersion 2c\n' }, 'snmpget', ['-On', agent(), SYS_NAME]);
  });

  it('defaultPort: the port of an agent given without one, over IPv4 and IPv6', async () => {
    const conf = { 'snmp.conf': `${v2c}defaultPort ${snmpd.port}\n` };
    const { ours } = await compare(conf, 'snmpget', ['-On', '127.0.0.1', SYS_NAME]);
    expect(ours.exitCode).toBe(0);
    await compare(conf, 'snmpget', ['-On', 'udp6:[::1]', SYS_NAME]);
    // A port in the agent's name comes first.
    await compare({ 'snmp.conf': `${v2c}defaultPort 1\n` }, 'snmpget', ['-On', agent(), SYS_NAME]);
  });

  it("defaultPort replaces snmptrap's 162; snmpinform takes timeout and retries too", async () => {
    const conf = { 'snmp.conf': `${v2c}defaultPort ${silentPort}\ntimeout 1\nretries 0\n` };
    const before = received.length;
    await compare(conf, 'snmptrap', ['127.0.0.1', '', COLD_START]);
    await compare(conf, 'snmpinform', ['127.0.0.1', '', COLD_START]);
    // Both traps and both informs (no retry) reached the socket, with the community of snmp.conf.
    await expect.poll(() => received.length - before).toBe(4);
    for (const message of received.slice(before)) expect(message.includes(Buffer.from('public'))).toBe(true);
  });

  it('timeout (whole seconds) and retries: the same attempts, the same wait, the same message', async () => {
    const silentAgent = `127.0.0.1:${silentPort}`;
    // The attempts are counted at the silent socket (2 + 2: snmpget's and ours); the wait is checked from below
    // only, since a busy machine may add any time to it.
    let before = received.length;
    const twoTries = await compare({ 'snmp.conf': `${v2c}timeout 1\nretries 1\n` }, 'snmpget', [
      '-On',
      silentAgent,
      SYS_NAME,
    ]);
    await expect.poll(() => received.length - before).toBe(4);
    // -t and -r win: one try of 1 s, not three of 3 s.
    before = received.length;
    const overridden = await compare({ 'snmp.conf': `${v2c}timeout 3\nretries 2\n` }, 'snmpget', [
      '-On',
      '-t',
      '1',
      '-r',
      '0',
      silentAgent,
      SYS_NAME,
    ]);
    await expect.poll(() => received.length - before).toBe(2);
    expect(twoTries.ours.stderr).toBe(`Timeout: No Response from ${silentAgent}.\n`);
    for (const runs of [twoTries, overridden]) {
      const expected = runs === twoTries ? 2000 : 1000;
      for (const run of [runs.theirs, runs.ours]) expect(run.durationMs).toBeGreaterThanOrEqual(expected - 100);
    }
  });

  it("bad values: Net-SNMP's errors and warnings, the line ignored", async () => {
    const conf = {
      'snmp.conf': [
        'defVersion 9',
        'timeout x',
        'foo bar',
        '  # a comment',
        'mibs',
        '\tdefAuthType SHA-2x',
        'defPrivType 3DES',
        'retries 1x',
        '',
      ].join('\n'),
      'snmp.local.conf': 'defSecurityLevel priv\ndefaultPort abc\n',
    };
    const { ours } = await compare(conf, 'snmpget', ['-On', agent(), SYS_NAME]);
    expect(ours.stderr).toContain(': line 1: Error: Unknown version specification\n');
    expect(ours.stderr).toContain(': line 3: Warning: Unknown token: foo.\n');
    expect(ours.stderr).toContain('net-snmp: 8 error(s) in config file(s)\n');
    // Reported before the command line's own complaints, and the valid lines still apply.
    await compare({ 'snmp.conf': `defVersion 2c\ndefCommunity public\ntimeout 0.5\n` }, 'snmpget', ['-On', agent()]);
    await compare({ 'snmp.conf': `defVersion 2c\ndefCommunity public\ntimeout 0.5\n` }, 'snmpget', [
      '-On',
      agent(),
      SYS_NAME,
    ]);
  });

  it('snmp.local.conf overrides snmp.conf, a later directory an earlier one', async () => {
    const { ours } = await compare(
      { 'snmp.conf': 'defVersion 2c\ndefCommunity nosuch\n', 'snmp.local.conf': 'defCommunity public\n' },
      'snmpget',
      ['-On', agent(), SYS_NAME],
    );
    expect(ours.exitCode).toBe(0);
    await compare(
      { 'a/snmp.conf': `${v2c}`, 'a/snmp.local.conf': 'defVersion 3\n', 'b/snmp.conf': 'defVersion 1\n' },
      'snmpget',
      ['-On', agent(), SYS_NAME],
      (dir) => `${dir}/a:${dir}/b`,
    );
  });

  it('without SNMPCONFPATH: ~/.snmp/snmp.conf, then the persistent directory overriding it', async () => {
    const home = writeConf({ '.snmp/snmp.conf': 'defVersion 2c\ndefCommunity nosuch\n' });
    const persistent = writeConf({ 'snmp.conf': 'defCommunity public\n' });
    // The tools would announce the directory they make for certificates on stderr.
    mkdirSync(join(persistent, 'cert_indexes'));
    // SNMPCONFPATH unset (undefined is left out of a child's environment), the machine's own files read by both.
    const env = { HOME: home, SNMP_PERSISTENT_DIR: persistent, SNMPCONFPATH: undefined } as unknown as Record<
      string,
      string
    >;
    const args = ['-On', agent(), SYS_NAME];
    const [theirs, ours] = await Promise.all([
      runNetSnmp('snmpget', args, { env }),
      runSnmpkit(['get', ...args], { env }),
    ]);
    expect(theirs.exitCode, theirs.stderr).toBe(0);
    expect([ours.stdout, ours.stderr, ours.exitCode]).toEqual([theirs.stdout, theirs.stderr, theirs.exitCode]);
  });

  it('table and record take the defaults too', async () => {
    const dir = writeConf({ 'snmp.conf': v2c });
    const env = { SNMPCONFPATH: dir };
    const [fromConf, fromArgs] = await Promise.all([
      runSnmpkit(['table', '-Cf', ',', agent(), '.1.3.6.1.2.1.1.9'], { env }),
      runSnmpkit(['table', '-Cf', ',', '-v2c', '-c', 'public', agent(), '.1.3.6.1.2.1.1.9'], {
        env: { SNMPCONFPATH: root },
      }),
    ]);
    expect(fromConf.exitCode, fromConf.stderr).toBe(0);
    expect(fromConf.stdout).toBe(fromArgs.stdout);
    const recorded = await runSnmpkit(['record', agent(), '1.3.6.1.2.1.1'], { env });
    expect(recorded.exitCode, recorded.stderr).toBe(0);
    expect(recorded.stdout).toMatch(/^1\.3\.6\.1\.2\.1\.1\.5\.0\|4\|/m);
  });
});
