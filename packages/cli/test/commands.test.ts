/**
 * The commands in-process (main() with captured output): --json, decode, usage errors and bad values (a clear
 * message, a non-zero exit, never a stack trace), the commands that are not available yet, walk progress.
 */
import { bytesToHex, encodeMessage, SnmpValue, type V3Message } from '@snmpkit/ber';
import { UsmKeyStore } from '@snmpkit/usm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATE_OPTIONS } from '../src/commands/simulate.js';
import { TRAPD_OPTIONS } from '../src/commands/trapd.js';
import { hexDump } from '../src/dump.js';
import { bufferIo } from '../src/io.js';
import { main } from '../src/main.js';
import { type FixtureAgent, startFixtureAgent } from './fixture-agent.js';
import { FIXTURE_OBJECTS } from './fixture-values.js';

// Net-SNMP's output without MIB files, unless a test loads modules with -m/-M.
process.env.MIBS = '';

let fixture: FixtureAgent;
beforeAll(async () => {
  fixture = await startFixtureAgent(structuredClone(FIXTURE_OBJECTS));
});
afterAll(async () => {
  await fixture?.stop();
});

async function run(args: string[], stdin = '') {
  const io = bufferIo(stdin);
  const exitCode = await main(args, io);
  return { exitCode, stdout: io.stdout(), stderr: io.stderr() };
}

const X = '1.3.6.1.4.1.99999.1';

describe('--json', () => {
  it('prints one JSON object per varbind, 64-bit values as decimal strings, strings as text and hex', async () => {
    const oids = [`${X}.1.0`, `${X}.5.0`, `${X}.18.0`, `${X}.24.0`, `${X}.29.0`, `${X}.12.0`, `${X}.21.0`];
    const { exitCode, stdout } = await run(['get', '-v2c', '-c', 'public', '--json', fixture.peer, ...oids]);
    expect(exitCode).toBe(0);
    const records = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records).toHaveLength(oids.length);
    expect(records[0]).toMatchObject({
      oid: `${X}.1.0`,
      type: 'OctetString',
      value: 'plain text',
      hex: '706c61696e2074657874',
    });
    expect(records[1]).toMatchObject({
      type: 'OctetString',
      hex: '001b21aabbcc',
      text: 'Hex-STRING: 00 1B 21 AA BB CC ',
    });
    expect(records[2]).toMatchObject({ type: 'Counter64', value: '18446744073709551615' });
    expect(records[3]).toMatchObject({ type: 'Opaque', opaqueType: 'Float', value: 3.5 });
    expect(records[4]).toMatchObject({ type: 'NoSuchInstance', value: null });
    expect(records[5]).toMatchObject({ type: 'Counter32', value: 4294967295 });
    expect(records[6]).toMatchObject({ type: 'ObjectIdentifier', value: '1.3.6.1.4.1.8072.3.2.10' });
  });

  it('works for walks too: one line per object', async () => {
    const { exitCode, stdout } = await run([
      'walk',
      '-v2c',
      '-c',
      'public',
      '--json',
      fixture.peer,
      '1.3.6.1.4.1.99999.2',
    ]);
    expect(exitCode).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ oid: '1.3.6.1.4.1.99999.2.1.0', type: 'Integer', value: 7 });
  });
});

describe('-d', () => {
  it("dumps what is sent and received on stderr, in Net-SNMP's layout, which decode reads back", async () => {
    const { exitCode, stdout, stderr } = await run(['get', '-d', '-v2c', '-c', 'public', fixture.peer, `${X}.10.0`]);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/= INTEGER: /);
    const blocks = stderr.split('\n\n').filter((b) => b.trim() !== '');
    expect(blocks[0]).toMatch(/^\nSending \d+ bytes to UDP: \[127\.0\.0\.1\]:\d+->\[[\d.]+\]:\d+\n0000: 30 /);
    expect(blocks[1]).toMatch(/^\nReceived \d+ byte packet from UDP: /);
    const decoded = await run(['decode', '-'], blocks[1]);
    expect(decoded.stdout).toContain('  Response\n');
    expect(decoded.stdout).toContain(`iso.${X.slice(2)}.10.0 = INTEGER: `);
  });
});

describe('walk progress', () => {
  it('shows a count on stderr when stderr is a terminal and stdout a file, and erases it at the end', async () => {
    const io = { ...bufferIo(), errIsTerminal: true, outIsFile: true };
    let err = '';
    io.err = (text: string) => {
      err += text;
    };
    const exitCode = await main(['bulkwalk', '-v2c', '-c', 'public', fixture.peer, X], io);
    expect(exitCode).toBe(0);
    expect(err).toMatch(/^\r\d+ objects\.\.\./);
    expect(err.endsWith('\r\x1b[K')).toBe(true);
  });

  it('stays silent when stdout is not a file (the terminal, a pipe): the count would land among the lines', async () => {
    let err = '';
    const io = { ...bufferIo(), errIsTerminal: true };
    io.err = (text: string) => {
      err += text;
    };
    expect(await main(['bulkwalk', '-v2c', '-c', 'public', fixture.peer, X], io)).toBe(0);
    expect(err).toBe('');
  });

  it('stays silent when stderr is not a terminal', async () => {
    const { stderr } = await run(['bulkwalk', '-v2c', '-c', 'public', fixture.peer, X]);
    expect(stderr).toBe('');
  });
});

describe('decode', () => {
  const getRequest = encodeMessage({
    version: 1,
    community: 'public',
    pdu: {
      type: 'GetRequest',
      requestId: 77,
      errorStatus: 0,
      errorIndex: 0,
      varbinds: [{ oid: '1.3.6.1.2.1.1.1.0', value: SnmpValue.null() }],
    },
  });

  it('pretty-prints a v2c message given in hex, varbinds as Net-SNMP prints them', async () => {
    const { exitCode, stdout } = await run(['decode', bytesToHex(getRequest)]);
    expect(exitCode).toBe(0);
    expect(stdout).toBe(
      [
        `SNMPv2c message (${getRequest.length} bytes)`,
        '  community: "public"',
        '  GetRequest',
        '    request-id: 77',
        '    error-status: noError (0)',
        '    error-index: 0',
        '    varbinds (1):',
        '      iso.3.6.1.2.1.1.1.0 = NULL',
        '',
      ].join('\n'),
    );
  });

  it('reads stdin with -, accepts spaced hex and Net-SNMP -d dumps, honours -O flags', async () => {
    const spaced = bytesToHex(getRequest, ' ');
    const fromStdin = await run(['decode', '-On', '-'], `${spaced}\n`);
    expect(fromStdin.stdout).toContain('      .1.3.6.1.2.1.1.1.0 = NULL');
    const fromDump = await run(
      ['decode', '-'],
      `\nSending ${getRequest.length} bytes to UDP: [127.0.0.1]:161\n${hexDump(getRequest)}\n`,
    );
    expect(fromDump.exitCode).toBe(0);
    expect(fromDump.stdout).toContain('request-id: 77');
  });

  it('decrypts a v3 authPriv message with the user credentials, and says so when they are wrong', async () => {
    const engineId = new Uint8Array([0x80, 0, 0x1f, 0x88, 0x80, 1, 2, 3, 4, 5, 6, 7]);
    const store = new UsmKeyStore([
      {
        name: 'alice',
        level: 'authPriv',
        authProtocol: 'sha256',
        authPassword: 'alice-auth-pass',
        privProtocol: 'aes',
        privPassword: 'alice-priv-pass',
      },
    ]);
    const { encodeSecureMessage } = await import('@snmpkit/usm');
    const message: V3Message = {
      version: 3,
      msgId: 4242,
      msgMaxSize: 65507,
      msgFlags: 7,
      securityModel: 3,
      securityParameters: {
        engineId,
        engineBoots: 3,
        engineTime: 1000,
        userName: 'alice',
        authParameters: new Uint8Array(),
        privParameters: new Uint8Array(),
      },
      scopedPdu: {
        contextEngineId: engineId,
        contextName: 'bridge1',
        pdu: {
          type: 'Response',
          requestId: 9,
          errorStatus: 0,
          errorIndex: 0,
          varbinds: [{ oid: '1.3.6.1.2.1.1.5.0', value: SnmpValue.octetString('secret-host') }],
        },
      },
    };
    const hex = bytesToHex(encodeSecureMessage(message, store.keysFor('alice', engineId)));
    const without = await run(['decode', hex]);
    expect(without.exitCode).toBe(0);
    expect(without.stdout).toContain('msgFlags: 0x07 (auth, priv, reportable)');
    expect(without.stdout).toMatch(/encryptedPDU: \d+ bytes/);
    expect(without.stdout).not.toContain('secret-host');
    const creds = [
      '-u',
      'alice',
      '-l',
      'authPriv',
      '-a',
      'SHA-256',
      '-A',
      'alice-auth-pass',
      '-x',
      'AES',
      '-X',
      'alice-priv-pass',
    ];
    const withCreds = await run(['decode', ...creds, hex]);
    expect(withCreds.exitCode).toBe(0);
    expect(withCreds.stdout).toContain('contextName: "bridge1"');
    expect(withCreds.stdout).toContain('iso.3.6.1.2.1.1.5.0 = STRING: "secret-host"');
    const wrong = await run(['decode', ...creds.slice(0, -1), 'not-the-password', hex]);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toMatch(/^snmpkit decode: cannot authenticate\/decrypt/);
  });

  it('refuses what is not hex or not SNMP with one clear line', async () => {
    expect(await run(['decode', 'zz'])).toMatchObject({
      exitCode: 1,
      stderr: expect.stringMatching(/^snmpkit decode: BER: expected whole bytes of hex digits/),
    });
    expect(await run(['decode', '300a020101'])).toMatchObject({
      exitCode: 1,
      stderr: expect.stringMatching(/^snmpkit decode: not an SNMP message/),
    });
  });
});

describe('usage errors and bad values: a message, a non-zero exit, no stack trace', () => {
  const cases: [string[], RegExp][] = [
    [[], /^USAGE: snmpkit COMMAND/],
    [['frobnicate'], /^snmpkit: unknown command "frobnicate"/],
    [['toString'], /^snmpkit: unknown command "toString"/],
    [['get', '-v', '2', 'h', '1.3'], /^Invalid version specified after -v flag: 2\nUSAGE: snmpkit get/],
    [['get', '-v2c', '-c'], /^snmpkit get: option requires an argument -- 'c'/],
    [['walk', '-v2c', '-c', 'public', '--nope', 'h'], /^snmpkit walk: unrecognized option '--nope'/],
    [
      ['get', '-v2c', '-c', 'public', 'udp:127.0.0.1:99999', '1.3.6'],
      /^snmpkit get: Unknown host \(udp:127\.0\.0\.1:99999\)/,
    ],
    [['get', '-v2c', '-c', 'public', 'tcp:[::1', '1.3.6'], /^snmpkit get: Unknown host/],
    [
      ['get', '-v3', '-u', 'bob', '-l', 'authNoPriv', '-A', 'short', 'localhost', '1.3.6'],
      /^Error: passphrase chosen is below/,
    ],
    [
      ['get', '-v3', '-u', 'bob', '-l', 'authNoPriv', '-a', 'SHA-999', '-A', 'long enough', 'h', '1.3.6'],
      /^Invalid authentication protocol specified after -3a flag: SHA-999\nUSAGE/,
    ],
    [['get', 'localhost', '1.3.6'], /^snmpkit get: No securityName specified/],
    [['bulkget', '-v2c', '-c', 'public', '-Cr99999999999', 'localhost', '1.3.6'], /^snmpkit bulkget: /],
    [['set', '-v2c', '-c', 'public', 'localhost', '1.3.6.0', 'i', '99999999999'], /^1\.3\.6\.0: Value out of range/],
    [['set', '-v2c', '-c', 'public', 'localhost', '1.3.6.0', 'a', '1.2.3.4.5'], /^1\.3\.6\.0: Bad value notation/],
    [['table', '-v2c', '-c', 'public', 'localhost'], /^Must have exactly one table name\nUSAGE: snmpkit table /],
    [['simulate'], /^simulate needs --data PATH/],
    [['simulate', '--data', '/nonexistent/device.snmprec', '--listen', 'udp:127.0.0.1:0'], /^snmpkit simulate: /],
    [
      ['simulate', '--data', 'x.snmprec', '--tcp-max-connections', '0'],
      /^--tcp-max-connections needs a whole number from 1/,
    ],
    [
      ['simulate', '--data', 'x.snmprec', '--tcp-idle-timeout', '1.5'],
      /^--tcp-idle-timeout needs a whole number from 0/,
    ],
    [
      ['simulate', '--data', 'x.snmprec', '--user', 'ops:SHA:authpass123@80001f8804'],
      /^--user ops:SHA:\*\*\*: an agent's users belong/,
    ],
    [['translate'], /^Missing object name/],
    [['trap', '-v2c', '-c', 'public', 'localhost'], /^Missing up-time parameter\nUSAGE: snmpkit trap/],
    [['trap', '-v2c', '-c', 'public', 'localhost', ''], /^Missing trap-oid parameter\nUSAGE/],
    [['trap', '-v1', '-c', 'public', 'localhost', '1.3.6.1.4.1.1'], /^Missing agent parameter\nUSAGE/],
    [
      ['trap', '-v2c', '-c', 'public', 'localhost', '', '1.3.6.1.6.3.1.1.5.1', '1.3.6.1.2.1.1.5.0', 'x', 'zz'],
      /^1\.3\.6\.1\.2\.1\.1\.5\.0: Bad value notation \(zz\)/,
    ],
    [
      ['inform', '-v1', '-c', 'public', 'localhost', '', '1.3.6.1.6.3.1.1.5.1'],
      /^snmpkit inform: Cannot send V2 PDU on V1 session/,
    ],
    [['inform'], /^No hostname specified\.\nUSAGE: snmpkit inform/],
    [['trapd', '--listen', 'udp:127.0.0.1:99999'], /^snmpkit trapd: /],
  ];
  it.each(cases.map(([args, expected]) => [args.join(' '), args, expected] as const))(
    '%s',
    async (_, args, expected) => {
      const { exitCode, stdout, stderr } = await run([...args]);
      expect(exitCode).not.toBe(0);
      expect(stdout).toBe('');
      expect(stderr).toMatch(expected);
      expect(stderr).not.toMatch(/\n\s+at /);
    },
  );
});

describe('--help of the commands with options of their own', () => {
  it.each([
    ['simulate', SIMULATE_OPTIONS],
    ['trapd', TRAPD_OPTIONS],
    ['translate', []],
    ['decode', []],
  ] as const)(
    "%s --help describes every option the command reads, not the agent commands' ones",
    async (command, longOptions) => {
      const { stdout, stderr } = await run([command, '--help']);
      const text = stdout + stderr;
      expect(text).toMatch(new RegExp(`^USAGE: snmpkit ${command} `));
      for (const option of longOptions) expect(text).toContain(`--${option} `);
      // The agent commands' options that these commands do not read are not offered.
      expect(text).not.toContain('-c COMMUNITY');
      expect(text).not.toContain('-r RETRIES');
    },
  );
});

describe('table without MIB modules', () => {
  it('prints the rows with columns by number (snmptable would stop), and --json one object per row', async () => {
    const table = '1.3.6.1.4.1.99997.1';
    const agent = await startFixtureAgent([
      { oid: `${table}.1.2.1`, value: SnmpValue.octetString('eth0') },
      { oid: `${table}.1.2.2`, value: SnmpValue.octetString('eth1') },
      { oid: `${table}.1.3.2`, value: SnmpValue.counter64(5n) },
    ]);
    try {
      const text = await run(['table', '-v2c', '-c', 'public', '-Ci', agent.peer, table]);
      expect(text.exitCode).toBe(0);
      expect(text.stdout).toBe(
        ['SNMP table: iso.3.6.1.4.1.99997.1', '', ' index      2 3', '     1 "eth0" ?', '     2 "eth1" 5', ''].join(
          '\n',
        ),
      );
      const json = await run(['table', '-v2c', '-c', 'public', '--json', agent.peer, table]);
      const rows = json.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(rows).toHaveLength(2);
      expect(rows[1]).toMatchObject({
        index: '2',
        columns: { '2': { value: 'eth1' }, '3': { type: 'Counter64', value: '5' } },
      });
      const empty = await run(['table', '-v2c', '-c', 'public', agent.peer, '1.3.6.1.4.1.99997.2']);
      expect(empty).toMatchObject({ exitCode: 0, stdout: 'iso.3.6.1.4.1.99997.2: No entries\n' });
    } finally {
      await agent.stop();
    }
  });
});

describe('translate', () => {
  it('converts between numeric and Net-SNMP no-MIB forms', async () => {
    expect((await run(['translate', '-On', 'iso.3.6.1.2.1.1.1.0'])).stdout).toBe('.1.3.6.1.2.1.1.1.0\n');
    expect((await run(['translate', '.1.3.6.1.4.1'])).stdout).toBe('iso.3.6.1.4.1\n');
    expect((await run(['translate', '-Of', '1.3.6.1'])).stdout).toBe('.iso.3.6.1\n');
    const unknown = await run(['translate', 'sysDescr.0']);
    expect(unknown).toMatchObject({
      exitCode: 2,
      stderr: 'sysDescr.0: Unknown Object Identifier (Sub-id not found: (top) -> sysDescr)\n',
    });
  });
});

describe('with MIB modules (-m/-M, through @snmpkit/mib)', () => {
  const mibs = ['-m', 'SNMPv2-MIB:IF-MIB', '-M', '/nonexistent'];

  it('prints names, enums and DISPLAY-HINT text, and reads symbolic OIDs', async () => {
    const objects = [
      { oid: '1.3.6.1.2.1.1.1.0', value: SnmpValue.octetString('a switch') },
      { oid: '1.3.6.1.2.1.2.2.1.6.2', value: SnmpValue.octetString(new Uint8Array([0, 0x16, 0x3e, 0x5a, 1, 0xc2])) },
      { oid: '1.3.6.1.2.1.2.2.1.8.2', value: SnmpValue.integer(2) },
    ];
    const agent = await startFixtureAgent(objects);
    try {
      const args = [
        'get',
        '-v2c',
        '-c',
        'public',
        ...mibs,
        agent.peer,
        'sysDescr.0',
        'IF-MIB::ifPhysAddress.2',
        'ifOperStatus.2',
      ];
      const { exitCode, stdout } = await run(args);
      expect(exitCode).toBe(0);
      expect(stdout).toBe(
        [
          'SNMPv2-MIB::sysDescr.0 = STRING: a switch',
          'IF-MIB::ifPhysAddress.2 = STRING: 0:16:3e:5a:1:c2',
          'IF-MIB::ifOperStatus.2 = INTEGER: down(2)',
          '',
        ].join('\n'),
      );
      const numeric = await run(['get', '-v2c', '-c', 'public', ...mibs, '-Oqe', '-On', agent.peer, 'ifOperStatus.2']);
      expect(numeric.stdout).toBe('.1.3.6.1.2.1.2.2.1.8.2 2\n');
    } finally {
      await agent.stop();
    }
  });

  it('translates names to numbers and back, and reports unknown names as Net-SNMP does', async () => {
    expect((await run(['translate', ...mibs, '-On', 'IF-MIB::ifDescr.3'])).stdout).toBe('.1.3.6.1.2.1.2.2.1.2.3\n');
    expect((await run(['translate', ...mibs, '.1.3.6.1.2.1.1.3.0'])).stdout).toBe('SNMPv2-MIB::sysUpTime.0\n');
    const unknown = await run(['translate', ...mibs, 'noSuchThing.0']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/^noSuchThing\.0: Unknown Object Identifier/);
  });
});
