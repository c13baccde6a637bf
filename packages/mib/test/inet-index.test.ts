/**
 * Table indexes of every syntax against a real snmpd and Net-SNMP's snmpwalk/snmptable: the InetAddressType +
 * InetAddress tables of IP-MIB, TCP-MIB and UDP-MIB (IPv4 and IPv6 rows), printed, decoded and read back. Net-SNMP
 * loads the same structure as our built-in modules, written out as module text (test/module-text.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinModule } from '../src/builtin.js';
import { decodeIndex, encodeIndex, formatOid, formatVarbind, Mib, parseOid } from '../src/index.js';
import { inetAddressBytes, inetAddressText, netSnmpInetText } from '../src/inet-address.js';
import { type Snmpd, startSnmpd, walk } from './agent.js';
import { moduleText } from './module-text.js';

const NPM_MIBS = new URL('../../../node_modules/net-snmp/lib/mibs', import.meta.url).pathname;
const TABLES = {
  ipAddressTable: '1.3.6.1.2.1.4.34',
  ipNetToPhysicalTable: '1.3.6.1.2.1.4.35',
  tcpConnectionTable: '1.3.6.1.2.1.6.19',
  tcpListenerTable: '1.3.6.1.2.1.6.20',
  udpEndpointTable: '1.3.6.1.2.1.7.7',
};
const MODULES = 'IP-MIB:TCP-MIB:UDP-MIB';

describe('InetAddress indexes against snmpwalk and snmptable on a real snmpd', () => {
  let agent: Snmpd;
  let dir: string;
  let dirs: string;
  let mib: Mib;
  let server: Server;
  let client: Socket;
  const accepted: Socket[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'snmpkit-inet-'));
    for (const name of ['INET-ADDRESS-MIB', 'IP-MIB', 'TCP-MIB', 'UDP-MIB']) {
      writeFileSync(join(dir, `${name}.txt`), moduleText(builtinModule(name)!));
    }
    dirs = `${dir}:${NPM_MIBS}`;
    mib = new Mib({ dirs, modules: MODULES, builtins: false, env: {} });
    agent = await startSnmpd();
    // A loopback connection of our own, open for every walk: tcpConnectionTable then has a row whatever else the
    // machine is doing (an idle CI machine may have no TCP connection at all).
    server = createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = createConnection({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
  });
  afterAll(async () => {
    client?.destroy();
    for (const socket of accepted) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await agent?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function netSnmp(tool: string, args: string[]): string {
    return execFileSync(tool, ['-v2c', '-c', 'public', '-M', dirs, '-m', MODULES, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  it('the generated module texts load in Net-SNMP without complaint', () => {
    const run = spawnSync('snmptranslate', ['-M', dirs, '-m', MODULES, '-Tp'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('ipAddressIfIndex(3)');
    expect(run.stderr).toBe('');
  });

  for (const [table, oid] of Object.entries(TABLES)) {
    it(`${table}: names, -OX names and values equal snmpwalk's; the names read back and decode`, async () => {
      const varbinds = await walk(agent.port, oid);
      const walked = netSnmp('snmpwalk', [`127.0.0.1:${agent.port}`, oid]);
      const extended = netSnmp('snmpwalk', ['-OX', `127.0.0.1:${agent.port}`, oid]);
      const theirs = new Set(walked.trimEnd().split('\n'));
      const theirNames = new Set([...theirs].map((line) => line.slice(0, line.indexOf(' = '))));
      const theirsX = new Set(extended.trimEnd().split('\n'));
      // Rows come and go between walks (sockets, TIME_WAIT connections): compare the rows both walks saw, and
      // demand at least half of ours among them.
      let same = 0;
      for (const vb of varbinds) {
        const name = formatOid(mib, vb.oid);
        if (!theirNames.has(name)) continue;
        same++;
        const line = formatVarbind(mib, vb.oid, vb.value);
        // A value can change between walks too (a connection's state): the line then differs by its value only.
        if (theirs.has(line)) {
          expect(theirsX.has(formatVarbind(mib, vb.oid, vb.value, { extendedIndex: true })), line).toBe(true);
        }
        expect(parseOid(mib, name).join('.'), name).toBe(vb.oid);
        const decoded = decodeIndex(mib, vb.oid)!;
        expect(decoded.rest, name).toEqual([]);
        // Net-SNMP's name is the column and the index parts' texts.
        expect(`${decoded.node.module}::${decoded.node.label}.${decoded.indexes.map((i) => i.text).join('.')}`).toBe(
          name,
        );
        expect(
          encodeIndex(
            mib,
            decoded.node,
            decoded.indexes.map((i) => i.address ?? i.value),
          ).join('.'),
        ).toBe(vb.oid);
      }
      expect(varbinds.length).toBeGreaterThan(0);
      expect(same).toBeGreaterThanOrEqual(Math.max(1, Math.ceil(varbinds.length / 2)));
    });
  }

  it('IPv4 and IPv6 rows of ipAddressTable are addresses, not dots, as in snmptable -Ci', async () => {
    const varbinds = await walk(agent.port, `${TABLES.ipAddressTable}.1.3`);
    const names = varbinds.map((vb) => formatOid(mib, vb.oid));
    expect(names).toContain('IP-MIB::ipAddressIfIndex.ipv4."127.0.0.1"');
    expect(names).toContain('IP-MIB::ipAddressIfIndex.ipv6."00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:01"');
    const addresses = varbinds.map((vb) => decodeIndex(mib, vb.oid)!.indexes[1]!.address);
    expect(addresses).toContain('127.0.0.1');
    expect(addresses).toContain('::1');
    // snmptable -Ci prints each row's index as the name's index part.
    const table = netSnmp('snmptable', ['-Ci', '-Cf', '|', `127.0.0.1:${agent.port}`, 'IP-MIB::ipAddressTable']);
    const indexes = table
      .split('\n')
      .slice(3)
      .filter(Boolean)
      .map((line) => line.split('|')[0]);
    const mine = varbinds.map((vb) => formatOid(mib, vb.oid).replace('IP-MIB::ipAddressIfIndex.', ''));
    expect(indexes.length).toBeGreaterThan(0);
    for (const index of indexes) expect(mine).toContain(index);
  });
});

describe('InetAddress index parts', () => {
  const mib = new Mib({ dirs: [], env: {} });

  it('print, decode and read back every address type, with zones, as Net-SNMP prints them', () => {
    const cases: Array<[string, string, string | undefined]> = [
      ['1.4.10.0.0.1', 'ipv4."10.0.0.1"', '10.0.0.1'],
      ['3.8.10.0.0.1.0.0.0.3', 'ipv4z."10.0.0.1%3"', '10.0.0.1%3'],
      [
        '2.16.254.128.0.0.0.0.0.0.2.1.2.255.254.3.4.5',
        'ipv6."fe:80:00:00:00:00:00:00:02:01:02:ff:fe:03:04:05"',
        'fe80::201:2ff:fe03:405',
      ],
      [
        '4.20.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.1.0',
        'ipv6z."fe:80:00:00:00:00:00:00:00:00:00:00:00:00:00:01%256"',
        'fe80::1%256',
      ],
      // DNS names and lengths that do not fit the type are strings, as in Net-SNMP.
      ['16.3.97.98.99', 'dns."abc"', undefined],
      ['1.3.1.2.3', 'ipv4."..."', undefined],
    ];
    for (const [index, text, address] of cases) {
      const oid = `1.3.6.1.2.1.4.34.1.3.${index}`;
      expect(formatOid(mib, oid)).toBe(`IP-MIB::ipAddressIfIndex.${text}`);
      expect(decodeIndex(mib, oid)!.indexes[1]!.address).toBe(address);
      if (address !== undefined) {
        expect(parseOid(mib, `IP-MIB::ipAddressIfIndex.${text}`).join('.')).toBe(oid);
        const [type] = index.split('.');
        expect(
          parseOid(mib, `ipAddressIfIndex.${decodeIndex(mib, oid)!.indexes[0]!.label}."${address}"`).join('.'),
        ).toBe(oid);
        expect(inetAddressBytes(Number(type), address)).toEqual(index.split('.').slice(2).map(Number));
      }
    }
  });

  it('RFC 5952 text for IPv6 and the fallbacks', () => {
    expect(inetAddressText(2, [32, 1, 13, 184, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1])).toBe('2001:db8::1:0:0:1');
    expect(inetAddressText(2, new Array(16).fill(0))).toBe('::');
    expect(inetAddressText(2, [0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 5])).toBe('1:0:2:0:3:0:4:5');
    expect(inetAddressText(1, [1, 2, 3])).toBeUndefined();
    expect(netSnmpInetText(1, [1, 2, 3, 300])).toBeUndefined();
    expect(inetAddressBytes(2, '::ffff:10.0.0.1')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 10, 0, 0, 1]);
    expect(inetAddressBytes(1, '10.0.0.256')).toBeUndefined();
    expect(inetAddressBytes(2, '1::2::3')).toBeUndefined();
    expect(inetAddressBytes(4, 'fe80::1')).toBeUndefined(); // a zoned type needs its zone
  });

  it('a quoted text that is no address of its type stays a string, as Net-SNMP reads it', () => {
    expect(parseOid(mib, 'ipAddressIfIndex.ipv4."ab"').join('.')).toBe('1.3.6.1.2.1.4.34.1.3.1.2.97.98');
  });
});
