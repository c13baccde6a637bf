/**
 * Golden comparisons with MIB modules loaded on both sides: Net-SNMP's tools and snmpkit read the same module files
 * (test/mibs: a minimal SNMPv2-SMI and SNMPv2-TC and a test module, all written for snmpkit) with -M and -m, and
 * query the fixture agent. This is where names, enumerations, DISPLAY-HINTs, units, table indexes and symbolic
 * input show, as @snmpkit/mib formats them through the CLI.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetSnmpTool } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { compareWithNetSnmp } from './golden-compare.js';
import { MIB, MIB_DIR, ROW1, ROW2, ROW3, T, useFixtureAgent } from './mib-fixture.js';

/**
 * A second module, written for the set cases into a temporary directory: an OBJECT IDENTIFIER, an Unsigned32, an
 * IpAddress and a BITS scalar, over the fixture's .99999.5.0 to .8.0.
 */
const SET_MIB = `SNMPKIT-CLI-SET-MIB DEFINITIONS ::= BEGIN
IMPORTS OBJECT-TYPE, Unsigned32, IpAddress, enterprises FROM SNMPv2-SMI;
skSetRoot OBJECT IDENTIFIER ::= { enterprises 99999 }
skSetOid OBJECT-TYPE
    SYNTAX      OBJECT IDENTIFIER
    MAX-ACCESS  read-write
    STATUS      current
    DESCRIPTION "An OID."
    ::= { skSetRoot 5 }
skSetUnsigned OBJECT-TYPE
    SYNTAX      Unsigned32 (0..10)
    MAX-ACCESS  read-write
    STATUS      current
    DESCRIPTION "An Unsigned32."
    ::= { skSetRoot 6 }
skSetAddress OBJECT-TYPE
    SYNTAX      IpAddress
    MAX-ACCESS  read-write
    STATUS      current
    DESCRIPTION "An address."
    ::= { skSetRoot 7 }
skSetBits OBJECT-TYPE
    SYNTAX      BITS { first(0), second(1), tenth(9) }
    MAX-ACCESS  read-write
    STATUS      current
    DESCRIPTION "Bits."
    ::= { skSetRoot 8 }
END
`;
let setMibDir: string;
const fixture = useFixtureAgent();
beforeAll(async () => {
  setMibDir = await mkdtemp(join(tmpdir(), 'snmpkit-set-mib-'));
  await writeFile(join(setMibDir, 'SNMPKIT-CLI-SET-MIB.txt'), SET_MIB);
});
afterAll(async () => {
  if (setMibDir) await rm(setMibDir, { recursive: true, force: true });
});

type Case = [NetSnmpTool, string[]];
const agent = (args: string[]): string[] =>
  args.map((a) => (a === '@F' ? `127.0.0.1:${fixture().port}` : a === '@SETMIBS' ? `${MIB_DIR}:${setMibDir}` : a));
/** The test module and the set module (its directory made in beforeAll). */
const SET_MIB_ARGS = ['-M', '@SETMIBS', '-m', 'SNMPKIT-CLI-TEST-MIB:SNMPKIT-CLI-SET-MIB'];
const SET = ['-v2c', '-c', 'public', ...MIB, '@F'];
const TRAP = ['-v2c', '-c', 'public', ...MIB, '@F', '', '1.3.6.1.6.3.1.1.5.1'];
const SCALARS = Array.from({ length: 10 }, (_, i) => `${T}.1.${i + 1}.0`);

const CASES: Case[] = [
  ['snmpget', ['-v2c', '-c', 'public', ...MIB, '@F', ...SCALARS]],
  ...['s', 'f', 'n', 'e', 'U', 'q', 'v', 'S', 't', 'x', 'a', 'qe', 'sU'].map(
    (flags): Case => ['snmpget', ['-v2c', '-c', 'public', ...MIB, `-O${flags}`, '@F', ...SCALARS]],
  ),
  ['snmpget', ['-v2c', '-c', 'public', ...MIB, '@F', 'skName.0', 'SNMPKIT-CLI-TEST-MIB::skState.0', 'skMac.0']],
  ['snmpget', ['-v2c', '-c', 'public', ...MIB, '@F', 'skNoSuchThing.0']],
  // A module that is not on the path: the search path and "Cannot find module" on stderr, then the output as usual.
  ['snmpget', ['-v2c', '-c', 'public', '-M', MIB_DIR, '-m', 'SNMPKIT-NO-SUCH-MIB', '@F', ...SCALARS.slice(0, 2)]],
  [
    'snmpwalk',
    ['-v2c', '-c', 'public', '-M', MIB_DIR, '-m', 'NOPE-MIB:SNMPKIT-CLI-TEST-MIB:ALSO-NOT', '@F', 'skTable'],
  ],
  ['snmptable', ['-v2c', '-c', 'public', '-M', MIB_DIR, '-m', 'SNMPKIT-CLI-TEST-MIB:NOPE-MIB', '@F', 'skTable']],
  ['snmpset', ['-v2c', '-c', 'public', '-M', MIB_DIR, '-m', 'NOPE-MIB', '@F', `${T}.1.4.0`, 'i', '3']],
  ['snmpwalk', ['-v2c', '-c', 'public', ...MIB, '@F', 'skTable']],
  ['snmpwalk', ['-v2c', '-c', 'public', ...MIB, '-Ob', '@F', 'skTable']],
  ['snmpwalk', ['-v2c', '-c', 'public', ...MIB, '-Os', '@F', `.${T}`]],
  ['snmpget', ['-v2c', '-c', 'public', ...MIB, '@F', '.1.3.6.1.4.1.99999.5.0']],
  ['snmpget', ['-v2c', '-c', 'public', ...MIB, '@F', 'skStatus.1."ab".10.0.0.1']],
  ['snmpset', ['-v2c', '-c', 'public', ...MIB, '@F', 'skState.0', 'i', '3', 'skEnabled.0', 'i', '2']],
  ['snmptable', ['-v2c', '-c', 'public', ...MIB, '@F', 'skTable']],
  ['snmptable', ['-v2c', '-c', 'public', ...MIB, '-Ci', '@F', 'SNMPKIT-CLI-TEST-MIB::skTable']],
  ['snmptable', ['-v2c', '-c', 'public', ...MIB, '-Cb', '-Ci', '@F', 'skTable']],
  ['snmptable', ['-v2c', '-c', 'public', ...MIB, '-Cf', ',', '-Ci', '@F', 'skTable']],
  ['snmptable', ['-v1', '-c', 'public', ...MIB, '-Cl', '@F', `.${T}.2`]],
  ['snmptable', ['-v2c', '-c', 'public', ...MIB, '-Cr', '2', '-Oe', '@F', 'skTable']],
  ['snmptable', ['-v2c', '-c', 'public', ...MIB, '-Cr2', '@F', 'skTable']],
  ['snmptable', ['-v2c', '-c', 'public', ...MIB, '-Cx', '@F', 'skTable']],
  ['snmptable', ['-v2c', '-c', 'public', ...MIB, '-Ch', '@F', 'skTable']],
  ['snmptable', ['-v2c', '-c', 'public', ...MIB, '-Chi', '@F', 'skTable']],
  ['snmptable', ['-v2c', '-c', 'public', ...MIB, '-CH', '-Ci', '@F', 'skTable']],
  ['snmptable', ['-v2c', '-c', 'public', ...MIB, '-CHf', ',', '@F', 'skTable']],
  ['snmptable', ['-v2c', '-c', 'public', ...MIB, '-Chb', '-Cf', ',', '@F', 'skTable']],
  ['snmptable', ['-v2c', '-c', 'public', ...MIB, '@F', 'skEntry']],
  ['snmptable', ['-v2c', '-c', 'public', ...MIB, '-t', '0.2', '-r', '0', '127.0.0.1:1', 'skTable']],
  ['snmptranslate', [...MIB, '-On', 'SNMPKIT-CLI-TEST-MIB::skTemperature.0']],
  ['snmptranslate', [...MIB, `.${T}.2.1.4.${ROW1}`]],
  ['snmptranslate', [...MIB, '-Of', 'skGauge.0']],
  ['snmptranslate', [...MIB, '-Ou', '-IR', 'skGauge.0']],
  ['snmptranslate', [...MIB, '-Ou', '.1.3.6.1.4', '.1.3.6.1.3.5', '.1.3.6.1.2.1.5.3', `.${T}.2.1.4.${ROW1}`]],
  ['snmpwalk', ['-v2c', '-c', 'public', ...MIB, '-Ou', '@F', 'skScalars']],
  ['snmptranslate', [...MIB, '-IR', '-Of', 'skGauge.0']],
  ['snmptranslate', [...MIB, '-Ob', `.${T}.2.1.4.${ROW2}`]],
  // -OX (indexes in brackets, hinted string indexes through their hint), -OT, the line forms, OID values in each form.
  ['snmpwalk', ['-v2c', '-c', 'public', ...MIB, '-OX', '@F', 'skTable']],
  ['snmpwalk', ['-v2c', '-c', 'public', ...MIB, '-OXq', '@F', 'skTable']],
  ['snmpget', ['-v2c', '-c', 'public', ...MIB, '-OX', '@F', '.1.3.6.1.4.1.99999.5.0', 'skName.0']],
  ['snmptranslate', [...MIB, '-OX', `.${T}.2.1.4.${ROW1}`, `.${T}.2.1.4.${ROW3}`, `.${T}.2.1.4.1.2.97`]],
  ['snmptable', ['-v2c', '-c', 'public', ...MIB, '-OX', '-Ci', '@F', 'skTable']],
  ['snmpget', ['-v2c', '-c', 'public', ...MIB, '-OT', '@F', ...SCALARS, `${T}.2.1.7.${ROW2}`]],
  ['snmpget', ['-v2c', '-c', 'public', ...MIB, '-OQ', '@F', ...SCALARS]],
  ['snmpget', ['-v2c', '-c', 'public', ...MIB, '-OqQ', '@F', ...SCALARS]],
  ['snmpwalk', ['-v2c', '-c', 'public', ...MIB, '-Ov', '@F', 'skTable']],
  ['snmpwalk', ['-v2c', '-c', 'public', ...MIB, '-OE', '@F', 'skTable']],
  ['snmptranslate', [...MIB, '-OE', `.${T}.2.1.4.1.0.10.0.0.1`]],
  ['snmpget', ['-v2c', '-c', 'public', ...MIB, '-O0', '@F', 'skMac.0', `${T}.2.1.7.${ROW2}`]],
  ...['u', 'f', 's', 'n', 'b', 'Xs', 'E'].map(
    (flags): Case => ['snmpget', ['-v2c', '-c', 'public', ...MIB, `-O${flags}`, '@F', '.1.3.6.1.4.1.99999.5.0']],
  ),
  // snmpset with the MIB: enumeration labels, "=" (the type from the object's syntax), the type and range checks.
  // Last, as the agent keeps what is set.
  ...(
    [
      ['skState.0', 'i', 'failed', 'skEnabled.0', 'i', 'true'],
      ['skState.0', 'i', 'bogus'],
      ['skEnabled.0', 'i', 'TRUE', 'skState.0', 'i', '2 '],
      ['skState.0', '=', 'running', 'skEnabled.0', '=', 'false'],
      ['skState.0', '=', '7', 'skEnabled.0', '=', '1'],
      ['skName.0', '=', 'set with "="', 'skMac.0', 'x', '02005e10aaff'],
      ['skGauge.0', '=', '8', 'skUptime.0', '=', '100', 'skOctets.0', '=', '18446744073709551615'],
      ['skTemperature.0', '=', '-15', 'skWrongType.0', '=', '3'],
      [`skValue.${ROW1}`, '=', '101', `skStatus.${ROW2}`, '=', 'notInService'],
      [`skAddr.${ROW1}`, '=', '10.9.8.7'],
      [`skValue.${ROW1}`, '=', '4294967296'],
      ['skGauge.0', '=', 'x'],
      ['skOctets.0', '=', 'many'],
      [`skAddr.${ROW1}`, '=', 'nowhere'],
      ['skState.0', '=', ''],
      ['.1.3.6.1.4.1.99999.5.0', '=', '1.3.6.1'],
      ['skScalars.0', '=', '1'],
      ['skName.0', 'i', '3', 'skState.0', 's', 'x', 'skGauge.0', 'i', '1'],
      ['skUptime.0', 'u', '1', `skValue.${ROW1}`, 'u', '1', 'skOctets.0', 't', '1'],
      ['skState.0', 'o', '1.3', 'skState.0', 'a', '1.2.3.4', 'skState.0', 'b', '1'],
      ['skWrongType.0', 'x', '00', 'skState.0', 'd', '1', 'skMac.0', 'i', '1'],
      ['skState.0', 'n', '1', 'skState.0', 'z', '1'],
      [`skIndex.${ROW1}`, '=', '101', `skIndex.${ROW1}`, 'i', '0'],
      [`skKey.${ROW1}`, '=', '', `skKey.${ROW1}`, 'x', '00'.repeat(33), `skKey.${ROW1}`, 'd', ''],
      [`skKey.${ROW1}`, 's', 'k'.repeat(33)],
    ] as string[][]
  ).map((tail): Case => ['snmpset', [...SET, ...tail]]),
  // The second module: an OBJECT IDENTIFIER, an Unsigned32, an IpAddress and BITS (labels, numbers in any base).
  ...(
    [
      ['skSetOid.0', '=', 'skState.0', 'skSetBits.0', 'b', 'first'],
      ['skSetOid.0', '=', '.1.3.6.1.4.1.99998.1'],
      ['skSetOid.0', '=', 'noSuchName'],
      ['skSetOid.0', 'a', '1.2.3.4', 'skSetUnsigned.0', 'i', '1', 'skSetAddress.0', 's', '1.2.3.4'],
      ['skSetUnsigned.0', '=', '5', 'skSetAddress.0', '=', '1.2.3'],
      ['skSetUnsigned.0', '=', '11', 'skSetBits.0', '=', 'second,tenth'],
      ['skSetBits.0', 'b', '0x1 010', 'skSetUnsigned.0', 'i', ''],
      ['skSetBits.0', 'b', ''],
      ['skSetBits.0', 'b', 'first,bogus', 'skSetBits.0', 's', 'x', 'skSetBits.0', 'i', '1'],
    ] as string[][]
  ).map((tail): Case => ['snmpset', ['-v2c', '-c', 'public', ...SET_MIB_ARGS, '@F', ...tail]]),
  // BITS on an object the MIB does not know: numbers in any base, a bad word named alone.
  ['snmpset', [...SET, '.1.3.6.1.4.1.99999.8.0', 'b', '0x1,010']],
  ['snmpset', [...SET, '.1.3.6.1.4.1.99999.8.0', 'b', '1 abc']],
  // 's' through a DISPLAY-HINT: PhysAddress's "1x:" (Net-SNMP's quirks included), DisplayString's "255a".
  ...['0:16:3e:a:b:c', '001122', '00:16:3e:0a:0b:0c:ff', 'zz', '1:2:x', '', '-1:0x1f', ' 7: 8', 'é:1'].map(
    (mac): Case => ['snmpset', [...SET, 'skMac.0', 's', mac]],
  ),
  ['snmpset', [...SET, 'skName.0', 's', 'é'.repeat(200)]],
  // snmptrap hands the letter to snmp_add_var alone: any letter it does not know is a "Bad variable type".
  ['snmptrap', [...TRAP, '1.3.6.1.2.1.1.5.0', 'q', 'x']],
  ['snmptrap', [...TRAP, '1.3.6.1.2.1.1.5.0', 'c', '5', '1.3.6.1.2.1.1.6.0', 'C', '7']],
  ['snmptrap', [...TRAP, '1.3.6.1.2.1.1.5.0', '=', '5']],
  // With MIB modules snmptrap reads values against the objects' syntax, as snmpset does.
  ['snmptrap', [...TRAP, 'skState.0', 'i', 'failed', 'skEnabled.0', '=', 'false']],
  ['snmptrap', [...TRAP, 'skState.0', 'i', 'bogus']],
  ['snmptrap', [...TRAP, 'skEnabled.0', 's', 'x']],
];

describe('golden with MIB modules (-M test/mibs -m SNMPKIT-CLI-TEST-MIB)', () => {
  const label = ([tool, args]: Case) =>
    `${tool} ${args.filter((a) => !MIB.includes(a) && !SET_MIB_ARGS.includes(a)).join(' ')}`;
  it.each(CASES.map((c) => [label(c), c] as const))('%s', async (_, [tool, args]) =>
    compareWithNetSnmp(tool, agent(args)),
  );
});
