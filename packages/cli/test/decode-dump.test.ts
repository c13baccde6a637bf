/**
 * `decode -` on whole -d dumps: snmpkit's own and Net-SNMP's (snmpget, snmpwalk), v2c, v1 and v3 (decrypted with
 * the user's credentials), every message in order under its heading; a damaged block is named and skipped; plain
 * hex prints as it always did. Also how decode prints a request's NULL placeholders and a v1 trap's time-stamp.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesToHex, encodeMessage, SnmpValue } from '@snmpkit/ber';
import { type Simulator, startSimulator } from '@snmpkit/simulator';
import { runNetSnmp } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexDump } from '../src/dump.js';
import { bufferIo } from '../src/io.js';
import { main } from '../src/main.js';

// Net-SNMP's output without MIB files, unless a test loads modules with -m/-M.
process.env.MIBS = '';

const SAMPLE_DEVICE = join(dirname(fileURLToPath(import.meta.url)), '../data/sample-device.snmprec');
const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const DESCRIPTION = 'snmpkit sample switch SK-2400, firmware 4.2.1 (build 20261020)';
const CREDENTIALS = ['-u', 'alice', '-l', 'authPriv', '-a', 'SHA-256', '-A', 'alice-auth-pass'];
const V3 = ['-v3', ...CREDENTIALS, '-x', 'AES', '-X', 'alice-priv-pass'];

let simulator: Simulator;
let peer: string;
beforeAll(async () => {
  simulator = await startSimulator({
    data: SAMPLE_DEVICE,
    listen: ['udp:127.0.0.1:0'],
    users: ['alice:SHA-256:alice-auth-pass:AES:alice-priv-pass'],
  });
  peer = simulator.endpoints[0]!;
});
afterAll(() => simulator?.close());

/** snmpkit in-process: its exit code and what it printed. */
async function run(args: string[], stdin = '') {
  const io = bufferIo(stdin);
  return { exitCode: await main(args, io), stdout: io.stdout(), stderr: io.stderr() };
}

/** The "Sending ..." / "Received ..." lines of a dump, in order. */
function headings(dump: string): string[] {
  return dump.split('\n').filter((line) => /^(Sending \d+ bytes to|Received \d+ byte packet from) /.test(line));
}

/** decode's output, one entry per message (they are separated by one blank line). */
function messages(stdout: string): string[] {
  return stdout.trimEnd().split('\n\n');
}

describe('decode - reads a whole -d dump', () => {
  it("prints every message of snmpkit's dump in order, each under its heading", async () => {
    const get = await run(['get', '-d', '-v2c', '-c', 'public', peer, SYS_DESCR]);
    expect(get.exitCode).toBe(0);
    const dump = get.stderr;
    expect(headings(dump)).toHaveLength(2);
    const decoded = await run(['decode', '-'], dump);
    expect(decoded).toMatchObject({ exitCode: 0, stderr: '' });
    const [request, response, ...rest] = messages(decoded.stdout);
    expect(rest).toEqual([]);
    expect(request).toMatch(
      // The size moves with the random request-id's length (42 or 43 bytes): the heading and the message agree on it.
      /^Sending (4[0-3]) bytes to UDP: \[127\.0\.0\.1\]:\d+->\[[\d.]+\]:\d+\nSNMPv2c message \(\1 bytes\)\n/,
    );
    expect(request).toContain('\n  GetRequest\n');
    expect(request).toContain(`\n      iso.${SYS_DESCR.slice(2)} = NULL`);
    expect(response).toMatch(/^Received \d+ byte packet from UDP: .*\nSNMPv2c message \(\d+ bytes\)\n/);
    expect(response).toContain(`\n      iso.${SYS_DESCR.slice(2)} = STRING: "${DESCRIPTION}"`);
    expect(headings(decoded.stdout)).toEqual(headings(dump));
    // The same with the command's own output mixed in (2>&1): those lines are not the dump's.
    const mixed = await run(['decode', '-'], `${dump}${get.stdout}`);
    expect(mixed).toEqual(decoded);
  });

  it("reads Net-SNMP's snmpget -d and snmpwalk -d dumps (stdout and stderr together)", async () => {
    const get = await runNetSnmp('snmpget', ['-d', '-v2c', '-c', 'public', peer, SYS_DESCR]);
    expect(get.exitCode).toBe(0);
    const dump = `${get.stderr}${get.stdout}`;
    expect(headings(dump)).toHaveLength(2);
    const decoded = await run(['decode', '-'], dump);
    expect(decoded).toMatchObject({ exitCode: 0, stderr: '' });
    const [request, response] = messages(decoded.stdout);
    expect(request).toMatch(
      // The size moves with the random request-id's length (42 or 43 bytes): the heading and the message agree on it.
      /^Sending (4[0-3]) bytes to UDP: \[127\.0\.0\.1\]:\d+->\[[\d.]+\]:\d+\nSNMPv2c message \(\1 bytes\)\n/,
    );
    expect(response).toContain(`= STRING: "${DESCRIPTION}"`);

    const walk = await runNetSnmp('snmpwalk', ['-d', '-v1', '-c', 'public', peer, '1.3.6.1.2.1.1']);
    expect(walk.exitCode).toBe(0);
    const walkDump = `${walk.stderr}${walk.stdout}`;
    const walked = await run(['decode', '-'], walkDump);
    expect(walked).toMatchObject({ exitCode: 0, stderr: '' });
    const all = messages(walked.stdout);
    expect(all.length).toBeGreaterThan(4);
    expect(all.map((m) => m.split('\n')[0])).toEqual(headings(walkDump));
    for (const m of all) expect(m.split('\n')[1]).toMatch(/^SNMPv1 message \(\d+ bytes\)$/);
    // Every line snmpwalk printed is in one of the responses.
    for (const line of walk.stdout.trim().split('\n')) expect(walked.stdout).toContain(`\n      ${line}\n`);
  });

  it('decrypts the v3 messages of a dump (snmpkit and snmpget) with the credentials, key derivation once', async () => {
    const get = await run(['get', '-d', ...V3, peer, SYS_DESCR]);
    expect(get.exitCode).toBe(0);
    const theirs = await runNetSnmp('snmpget', ['-d', ...V3, peer, SYS_DESCR]);
    expect(theirs.exitCode).toBe(0);
    for (const dump of [get.stderr, theirs.stderr]) {
      // Discovery (a request and its report), then the request and the response, both encrypted.
      expect(headings(dump)).toHaveLength(4);
      const decoded = await run(['decode', ...V3.slice(1), '-'], dump);
      expect(decoded).toMatchObject({ exitCode: 0, stderr: '' });
      const all = messages(decoded.stdout);
      expect(all.map((m) => m.split('\n')[0])).toEqual(headings(dump));
      expect(all[1]).toContain('    Report\n');
      expect(all[1]).toContain('iso.3.6.1.6.3.15.1.1.4.0 = Counter32: ');
      for (const m of all.slice(2)) expect(m).toContain('  authentication: verified for user "alice"\n');
      expect(all[3]).toContain(`iso.${SYS_DESCR.slice(2)} = STRING: "${DESCRIPTION}"`);

      const without = await run(['decode', '-'], dump);
      expect(without.exitCode).toBe(0);
      expect(without.stdout.match(/encryptedPDU: \d+ bytes/g)).toHaveLength(2);
      expect(without.stdout).not.toContain(DESCRIPTION);

      // A wrong privacy password: the two encrypted messages are named, the discovery still printed.
      const wrong = await run(['decode', ...V3.slice(1, -1), 'not-the-password', '-'], dump);
      expect(wrong.exitCode).toBe(1);
      expect(messages(wrong.stdout).map((m) => m.split('\n')[0])).toEqual(headings(dump).slice(0, 2));
      expect(wrong.stderr.trimEnd().split('\n')).toEqual([
        `snmpkit decode: block 3 of 4 (${headings(dump)[2]}): cannot authenticate/decrypt with the given credentials: decryption failed for user 'alice'`,
        `snmpkit decode: block 4 of 4 (${headings(dump)[3]}): cannot authenticate/decrypt with the given credentials: decryption failed for user 'alice'`,
      ]);
    }
  });

  it('names a damaged block and why, prints the others in order, and exits 1', async () => {
    const walk = await run(['walk', '-d', '-v2c', '-c', 'public', peer, '1.3.6.1.2.1.1']);
    expect(walk.exitCode).toBe(0);
    const blocks = walk.stderr.split('\n\n\n');
    expect(blocks.length).toBeGreaterThan(4);
    const names = headings(walk.stderr);
    // Block 2: its first byte is no SEQUENCE. Block 4: a line of its hex is gone.
    blocks[1] = blocks[1]!.replace(/\n0000: 30 /, '\n0000: 31 ');
    blocks[3] = blocks[3]!.replace(/\n0016: [^\n]*/, '');
    const decoded = await run(['decode', '-'], blocks.join('\n\n\n'));
    expect(decoded.exitCode).toBe(1);
    const errors = decoded.stderr.trimEnd().split('\n');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(
      new RegExp(
        `^snmpkit decode: block 2 of ${names.length} \\(${escapeRegExp(names[1]!)}\\): not an SNMP message: BER: `,
      ),
    );
    const size = names[3]!.match(/\d+/)![0];
    expect(errors[1]).toBe(
      `snmpkit decode: block 4 of ${names.length} (${names[3]}): the dump holds ${Number(size) - 16} bytes, its heading says ${size}`,
    );
    const printed = messages(decoded.stdout);
    expect(printed.map((m) => m.split('\n')[0])).toEqual(names.filter((_, i) => i !== 1 && i !== 3));
    expect(printed.every((m) => /\nSNMPv2c message \(\d+ bytes\)\n/.test(m))).toBe(true);
  });
});

describe('decode: plain hex and single messages, as before', () => {
  const getRequest = sysDescrMessage('GetRequest', 77);
  const expected = `SNMPv2c message (${getRequest.length} bytes)
  community: "public"
  GetRequest
    request-id: 77
    error-status: noError (0)
    error-index: 0
    varbinds (1):
      iso.3.6.1.2.1.1.1.0 = NULL
`;

  it('prints one message given as hex (argument or stdin) or as dump lines without a heading, with no heading', async () => {
    expect(await run(['decode', bytesToHex(getRequest)])).toEqual({ exitCode: 0, stdout: expected, stderr: '' });
    expect(await run(['decode', '-'], `${bytesToHex(getRequest, ' ')}\n`)).toEqual({
      exitCode: 0,
      stdout: expected,
      stderr: '',
    });
    expect(await run(['decode', '-'], hexDump(getRequest))).toEqual({ exitCode: 0, stdout: expected, stderr: '' });
    // Two dumps without headings: each message is numbered.
    const two = await run(['decode', '-'], `${hexDump(getRequest)}\n${hexDump(getRequest)}`);
    expect(two).toEqual({ exitCode: 0, stdout: `Message 1\n${expected}\nMessage 2\n${expected}`, stderr: '' });
    // One block with its heading is a dump: the heading comes first.
    const heading = `Sending ${getRequest.length} bytes to UDP: [127.0.0.1]:161`;
    expect(await run(['decode', '-'], `\n${heading}\n${hexDump(getRequest)}\n`)).toEqual({
      exitCode: 0,
      stdout: `${heading}\n${expected}`,
      stderr: '',
    });
  });

  it('keeps its one-line errors for plain hex, without a block number', async () => {
    expect(await run(['decode', '300a020101'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `snmpkit decode: not an SNMP message: ${await berError('300a020101')}`,
    });
    expect((await run(['decode', '-'], hexDump(new Uint8Array([0x30, 0x0a, 2, 1, 1])))).stderr).toMatch(
      /^snmpkit decode: not an SNMP message: BER: /,
    );
  });
});

describe('decode: values that are no object values', () => {
  it("prints a request's NULL placeholders as NULL with MIB modules loaded (a response's NULL stays a wrong type)", async () => {
    const mibs = ['-m', 'SNMPv2-MIB', '-M', '/nonexistent'];
    const message = (type: 'GetRequest' | 'GetNextRequest' | 'Response') => bytesToHex(sysDescrMessage(type, 1));
    expect((await run(['decode', ...mibs, message('GetRequest')])).stdout).toContain(
      '\n      SNMPv2-MIB::sysDescr.0 = NULL\n',
    );
    expect((await run(['decode', ...mibs, '-Oq', message('GetNextRequest')])).stdout).toContain(
      '\n      SNMPv2-MIB::sysDescr.0 NULL\n',
    );
    expect((await run(['decode', ...mibs, message('Response')])).stdout).toContain(
      '\n      SNMPv2-MIB::sysDescr.0 = Wrong Type (should be OCTET STRING): NULL\n',
    );
    const bulk = bytesToHex(
      encodeMessage({
        version: 1,
        community: 'public',
        pdu: {
          type: 'GetBulkRequest',
          requestId: 1,
          nonRepeaters: 0,
          maxRepetitions: 10,
          varbinds: [{ oid: SYS_DESCR, value: SnmpValue.null() }],
        },
      }),
    );
    expect((await run(['decode', ...mibs, bulk])).stdout).toContain('\n      SNMPv2-MIB::sysDescr.0 = NULL\n');
  });

  it("prints a v1 trap's time-stamp as Timeticks, as Net-SNMP prints them (-Ot: the number)", async () => {
    const trap = bytesToHex(
      encodeMessage({
        version: 0,
        community: 'public',
        pdu: {
          type: 'TrapV1',
          enterprise: '1.3.6.1.4.1.99999',
          agentAddress: '127.0.0.1',
          genericTrap: 6,
          specificTrap: 1,
          timestamp: 1553866,
          varbinds: [],
        },
      }),
    );
    const decoded = await run(['decode', trap]);
    expect(decoded.exitCode).toBe(0);
    expect(decoded.stdout).toContain('\n    time-stamp: Timeticks: (1553866) 4:18:58.66\n');
    expect((await run(['decode', '-Ot', trap])).stdout).toContain('\n    time-stamp: 1553866\n');
  });
});

/** A v2c message of one varbind, sysDescr.0 with a NULL value. */
function sysDescrMessage(type: 'GetRequest' | 'GetNextRequest' | 'Response', requestId: number): Uint8Array {
  const varbinds = [{ oid: SYS_DESCR, value: SnmpValue.null() }];
  return encodeMessage({
    version: 1,
    community: 'public',
    pdu: { type, requestId, errorStatus: 0, errorIndex: 0, varbinds },
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The BerError text decodeMessage gives for `hex` (followed by a newline, as decode prints it). */
async function berError(hex: string): Promise<string> {
  const { decodeMessage, hexToBytes } = await import('@snmpkit/ber');
  try {
    decodeMessage(hexToBytes(hex));
  } catch (error) {
    return `${(error as Error).message}\n`;
  }
  throw new Error('decoded');
}
