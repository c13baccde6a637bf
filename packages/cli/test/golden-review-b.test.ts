/**
 * Golden comparisons for an operator's review of snmpkit against Net-SNMP 5.9.3: each case runs the Net-SNMP tool
 * and snmpkit with the same arguments and expects the same stdout, stderr and exit code (see golden-compare.ts).
 */
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Simulator, startSimulator } from '@snmpkit/simulator';
import {
  type NetSnmpTool,
  netSnmpUserArgs,
  runProcess,
  type SnmpdInstance,
  startSnmpd,
  testUser,
} from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithNetSnmp } from './golden-compare.js';
import { BIN, NO_MIBS, runSnmpkit } from './run-snmpkit.js';

const SAMPLE_DEVICE = join(dirname(fileURLToPath(import.meta.url)), '../data/sample-device.snmprec');

/** A UDP port that takes every datagram and answers none: an agent that is down but whose host is up. */
let silent: Socket;
let silentPeer: string;
let snmpd: SnmpdInstance;
/** The sample device, answering genErr to any request that names sysName.0. */
let faulty: Simulator;

beforeAll(async () => {
  silent = createSocket('udp4');
  silent.on('message', () => {});
  silent.bind(0, '127.0.0.1');
  await once(silent, 'listening');
  silentPeer = `udp:127.0.0.1:${silent.address().port}`;
  [snmpd, faulty] = await Promise.all([
    startSnmpd({
      transports: ['udp', 'udp6', 'tcp'],
      users: [testUser('SHA', 'AES')],
    }),
    startSimulator({
      data: SAMPLE_DEVICE,
      listen: ['udp:127.0.0.1:0'],
      faults: 'error=genErr@1.3.6.1.2.1.1.5.0',
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([
    new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve())),
    snmpd?.stop(),
    faulty?.close(),
  ]);
});

type Case = [tool: NetSnmpTool, args: string[]];

/** `@SILENT` is the silent port, `@D` snmpd's UDP peer, `@PORT` its port (UDP, UDP6, TCP), `@FAULTY` the genErr simulator. */
function resolve(args: readonly string[]): string[] {
  return args.map((a) =>
    a
      .replace(/^@SILENT$/, silentPeer)
      .replace(/^@D$/, snmpd.endpoints.udp!)
      .replace(/^@FAULTY$/, faulty.endpoints[0]!)
      .replace(/@PORT$/, snmpd.endpoints.udp!.split(':').at(-1)!),
  );
}

function cases(list: Case[]): void {
  for (const [tool, args] of list) {
    it(`${tool} ${args.join(' ')}`, () => compareWithNetSnmp(tool, resolve(args)));
  }
}

const V3_UNKNOWN = ['-v3', '-u', 'x', '-l', 'authPriv', '-a', 'SHA', '-A', 'authpass123', '-x', 'AES'];
const V3_UNKNOWN_TAIL = ['-X', 'privpass123', '-t', '0.3', '-r', '0', '@SILENT'];

describe('v3 engine-ID discovery that times out: "snmpget: Timeout" from every tool', () => {
  cases([
    ['snmpget', [...V3_UNKNOWN, ...V3_UNKNOWN_TAIL, '.1.3.6.1.2.1.1.5.0']],
    ['snmpgetnext', [...V3_UNKNOWN, ...V3_UNKNOWN_TAIL, '.1.3.6.1.2.1.1.5.0']],
    ['snmpwalk', [...V3_UNKNOWN, ...V3_UNKNOWN_TAIL, '.1.3.6.1.2.1.1']],
    ['snmpbulkwalk', [...V3_UNKNOWN, ...V3_UNKNOWN_TAIL, '.1.3.6.1.2.1.1']],
    ['snmpbulkget', [...V3_UNKNOWN, ...V3_UNKNOWN_TAIL, '.1.3.6.1.2.1.1.5.0']],
    ['snmpset', [...V3_UNKNOWN, ...V3_UNKNOWN_TAIL, '.1.3.6.1.2.1.1.5.0', 's', 'x']],
    ['snmpinform', [...V3_UNKNOWN, ...V3_UNKNOWN_TAIL, '', '.1.3.6.1.6.3.1.1.5.3']],
    ['snmptrap', ['-Ci', ...V3_UNKNOWN, ...V3_UNKNOWN_TAIL, '', '.1.3.6.1.6.3.1.1.5.3']],
    ['snmpget', ['-v3', '-u', 'x', '-t', '0.3', '-r', '0', '@SILENT', '.1.3.6.1.2.1.1.5.0']],
    // A v2c request that times out keeps the request's message.
    ['snmpget', ['-v2c', '-c', 'public', '-t', '0.3', '-r', '0', '@SILENT', '.1.3.6.1.2.1.1.5.0']],
  ]);
});

const FAULTY = ['-v2c', '-c', 'public', '@FAULTY'];

describe('a walk that prints nothing GETs its root, whatever the first response was', () => {
  cases([
    // The first GETBULK answers genErr (its response would hold sysName.0): the root's noSuchInstance, then the error.
    ['snmpbulkwalk', [...FAULTY, '.1.3.6.1.2.1.1']],
    ['snmpbulkwalk', [...FAULTY, '.1.3.6.1.2.1.1.4.0']],
    ['snmpbulkwalk', [...FAULTY, '.1.3.6.1.2.1.1.5']],
    ['snmpbulkwalk', [...FAULTY, '-Cc', '.1.3.6.1.2.1.1.4']],
    ['snmpwalk', [...FAULTY, '.1.3.6.1.2.1.1']],
    ['snmpwalk', [...FAULTY, '.1.3.6.1.2.1.1.4.0']],
    ['snmpwalk', [...FAULTY, '-CI', '.1.3.6.1.2.1.1.4.0']],
    // The root's GET answers an error-status: nothing more is printed, the exit code stays 0.
    ['snmpwalk', [...FAULTY, '.1.3.6.1.2.1.1.5.0']],
    ['snmpbulkwalk', [...FAULTY, '.1.3.6.1.2.1.1.5.0']],
    // v1: noSuchName ends the walk ("End of MIB"), and the root is still asked for.
    ['snmpwalk', ['-v1', '-c', 'public', '@FAULTY', '.1.3.6.1.2.1.1.4.0']],
    ['snmpwalk', ['-v1', '-c', 'public', '@FAULTY', '.1.3.6.1.2.1.1.6.5']],
    ['snmpwalk', ['-v1', '-c', 'public', '@FAULTY', '.1.3.6.1.9']],
    ['snmpwalk', ['-v1', '-c', 'public', '@FAULTY', '.1.3.6.1.2.1.1.9.1.2.1']],
  ]);
});

/** snmpd's user with an engine ID that is not snmpd's: snmpd answers each request with an unknownEngineID Report. */
const OTHER_ENGINE = [
  '-v3',
  ...netSnmpUserArgs(testUser('SHA', 'AES')),
  '-e',
  '80001f8880ffffffff',
  '-t',
  '0.3',
  '-r',
  '1',
];

describe('v3 with an -e the agent does not know: the timeout, as Net-SNMP ignores the Reports', () => {
  cases([
    ['snmpget', [...OTHER_ENGINE, '@D', '.1.3.6.1.2.1.1.5.0']],
    ['snmpgetnext', [...OTHER_ENGINE, '@D', '.1.3.6.1.2.1.1.5.0']],
    ['snmpbulkget', [...OTHER_ENGINE, '@D', '.1.3.6.1.2.1.1.5.0']],
    ['snmpwalk', [...OTHER_ENGINE, '@D', '.1.3.6.1.2.1.1']],
    ['snmpbulkwalk', [...OTHER_ENGINE, '@D', '.1.3.6.1.2.1.1']],
    ['snmpset', [...OTHER_ENGINE, '@D', '.1.3.6.1.2.1.1.5.0', 's', 'x']],
    ['snmpinform', [...OTHER_ENGINE, '@D', '', '.1.3.6.1.6.3.1.1.5.3']],
  ]);
});

describe('-m ALL on a machine without the MIB files', () => {
  it('knows the built-in core modules, as -m SNMPv2-MIB does', async () => {
    const get = (mibs: string) =>
      runSnmpkit(['get', '-v2c', '-c', 'public', '-m', mibs, snmpd.endpoints.udp!, '.1.3.6.1.2.1.1.5.0', 'ifNumber.0']);
    const [all, named] = await Promise.all([get('ALL'), get('SNMPv2-MIB:IF-MIB')]);
    expect([all.exitCode, all.stderr]).toEqual([0, '']);
    expect(all.stdout).toMatch(/^SNMPv2-MIB::sysName\.0 = STRING: .*\nIF-MIB::ifNumber\.0 = INTEGER: \d+\n$/);
    expect(all.stdout).toBe(named.stdout);
  });
});

const V2C = ['-v2c', '-c', 'public', '-t', '0.3', '-r', '0'];

describe("peers in Net-SNMP's grammar, and its system error after a library error", () => {
  cases([
    ['snmpget', [...V2C, '[127.0.0.1]:@PORT', '.1.3.6.1.2.1.1.5.0']],
    ['snmpget', [...V2C, 'udp:[127.0.0.1]:@PORT', '.1.3.6.1.2.1.1.5.0']],
    ['snmpget', [...V2C, 'tcp:[127.0.0.1]:@PORT', '.1.3.6.1.2.1.1.5.0']],
    ['snmpget', [...V2C, 'ipv6:[::1]:@PORT', '.1.3.6.1.2.1.1.5.0']],
    ['snmpwalk', [...V2C, 'ipv6:[::1]:@PORT', '.1.3.6.1.2.1.1.5']],
    ['snmpget', [...V2C, 'tcp:127.0.0.1:1', '.1.3.6.1.2.1.1.5.0']],
    ['snmpget', [...V2C, 'tcp6:[::1]:1', '.1.3.6.1.2.1.1.5.0']],
    ['snmpget', [...V2C, 'udp:127.0.0.1:0', '.1.3.6.1.2.1.1.5.0']],
    ['snmpwalk', [...V2C, 'udp6:[::1]:0', '.1.3.6.1.2.1.1']],
  ]);
});

describe('set values that wrap to 32 bits', () => {
  // snmpset warns "truncating integer value > 32 bits" only for a value above 2^32-1 that is positive as a C long.
  cases(
    [
      ['u', '-5'],
      ['t', '-1'],
      ['u', '4294967296'],
      ['u', '18446744073709551615'],
      ['t', '99999999999'],
    ].map(([type, value]): Case => ['snmpset', [...V2C, '@SILENT', '.1.3.6.1.2.1.1.5.0', type!, value!]]),
  );
});

describe('a walk piped into head', () => {
  it('dies of SIGPIPE as snmpwalk does (141 under pipefail)', async () => {
    // snmpd's mib-2: more than snmpwalk's two stdio buffers, so it writes again after head has gone.
    const walk = `-v2c -c public ${snmpd.endpoints.udp} .1.3.6.1.2.1`;
    const status = async (command: string) => {
      const line = `${command} ${walk} | head -1 > /dev/null; echo \${PIPESTATUS[0]}`;
      return (await runProcess('bash', ['-o', 'pipefail', '-c', line], { env: NO_MIBS })).stdout;
    };
    const [theirs, ours] = await Promise.all([status('snmpwalk'), status(`'${process.execPath}' '${BIN}' walk`)]);
    expect(theirs).toBe('141\n');
    expect(ours).toBe('141\n');
  });
});
