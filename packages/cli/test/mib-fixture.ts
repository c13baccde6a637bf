/**
 * What the golden tests with MIB modules share: the test module's directory and arguments, and the fixture agent's
 * objects under it (scalars of every kind, and skTable with a missing cell in each row), started per test file.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SnmpValue, type VarBind } from '@snmpkit/ber';
import { afterAll, beforeAll } from 'vitest';
import { type FixtureAgent, startFixtureAgent } from './fixture-agent.js';

export const MIB_DIR = join(dirname(fileURLToPath(import.meta.url)), 'mibs');
export const MIB = ['-M', MIB_DIR, '-m', 'SNMPKIT-CLI-TEST-MIB'];
export const T = '1.3.6.1.4.1.99998';
const bytes = (...b: number[]) => new Uint8Array(b);
/** skEntry's index: an Integer32, a DisplayString (length-prefixed) and an IpAddress. */
const index = (n: number, key: string, addr: string) =>
  `${n}.${key.length}.${[...key].map((c) => c.charCodeAt(0)).join('.')}.${addr}`;
export const ROW1 = index(1, 'ab', '10.0.0.1');
export const ROW2 = index(2, 'x"y', '192.168.1.1');
export const ROW3 = index(3, 'long key', '1.2.3.4');

export const OBJECTS: VarBind[] = [
  { oid: `${T}.1.1.0`, value: SnmpValue.octetString('lab "one"') },
  { oid: `${T}.1.2.0`, value: SnmpValue.integer(2) },
  { oid: `${T}.1.3.0`, value: SnmpValue.integer(1) },
  { oid: `${T}.1.4.0`, value: SnmpValue.octetString(bytes(0x00, 0x16, 0x3e, 0x0a, 0x0b, 0x0c)) },
  { oid: `${T}.1.5.0`, value: SnmpValue.integer(215) },
  { oid: `${T}.1.6.0`, value: SnmpValue.timeTicks(12345) },
  { oid: `${T}.1.7.0`, value: SnmpValue.counter64(1234567890123n) },
  { oid: `${T}.1.8.0`, value: SnmpValue.octetString(bytes(0x07, 0xea, 11, 23, 21, 45, 9, 0, 0x2b, 1, 0)) },
  { oid: `${T}.1.9.0`, value: SnmpValue.octetString('oops') },
  { oid: `${T}.1.10.0`, value: SnmpValue.gauge32(7) },
  { oid: `${T}.2.1.4.${ROW1}`, value: SnmpValue.counter32(100) },
  { oid: `${T}.2.1.4.${ROW2}`, value: SnmpValue.counter32(200) },
  { oid: `${T}.2.1.5.${ROW1}`, value: SnmpValue.integer(1) },
  { oid: `${T}.2.1.5.${ROW2}`, value: SnmpValue.integer(9) },
  { oid: `${T}.2.1.6.${ROW1}`, value: SnmpValue.octetString('first row') },
  { oid: `${T}.2.1.6.${ROW3}`, value: SnmpValue.octetString('third, "quoted"') },
  { oid: `${T}.2.1.7.${ROW2}`, value: SnmpValue.octetString(bytes(0x02, 0, 0x5e, 0x10, 0xaa, 0xff)) },
  { oid: '1.3.6.1.4.1.99999.5.0', value: SnmpValue.objectIdentifier(`${T}.2.1.5.${ROW1}`) },
  // For the set cases' second module (SET_MIB): an Unsigned32, an IpAddress and a BITS.
  { oid: '1.3.6.1.4.1.99999.6.0', value: SnmpValue.gauge32(3) },
  { oid: '1.3.6.1.4.1.99999.7.0', value: SnmpValue.ipAddress('10.0.0.1') },
  { oid: '1.3.6.1.4.1.99999.8.0', value: SnmpValue.octetString(bytes(0x80, 0)) },
];

/**
 * Starts a fixture agent serving `objects` (a copy: set cases change what it keeps) before the file's tests and
 * stops it after them; the returned function gives the running agent.
 */
export function useFixtureAgent(objects: readonly VarBind[] = OBJECTS): () => FixtureAgent {
  let fixture: FixtureAgent | undefined;
  beforeAll(async () => {
    fixture = await startFixtureAgent(structuredClone([...objects]));
  });
  afterAll(async () => {
    await fixture?.stop();
  });
  return () => {
    if (fixture === undefined) throw new Error('the fixture agent runs only inside the tests');
    return fixture;
  };
}
