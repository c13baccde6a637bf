import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  applyIntegerHint,
  applyOctetHint,
  cFixed,
  decodeIndex,
  encodeIndex,
  formatOid,
  formatValue,
  hexString,
  Mib,
  parseOid,
} from '../src/index.js';

const NPM_MIBS = new URL('../../../node_modules/net-snmp/lib/mibs', import.meta.url).pathname;
const FIXTURES = new URL('./fixtures', import.meta.url).pathname;
const DIRS = `${FIXTURES}:/usr/share/snmp/mibs:${NPM_MIBS}`;

function snmptranslate(args: string[]): string[] {
  return execFileSync('snmptranslate', ['-M', DIRS, '-m', 'ALL', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .trim()
    .split(/\n+/);
}

describe('table indexes', () => {
  const mib = new Mib({ dirs: DIRS, modules: 'ALL', builtins: false, env: {} });
  const column = mib.findNode('testValue', 'SNMPKIT-TEST-MIB')!;
  // testEntry INDEX { testIdxAddr (IpAddress), testIdxFixed (SIZE(2)), testIdxState (enum), IMPLIED testIdxName }
  const instance = '1.3.6.1.4.1.99999.1.30.1.5.10.0.0.1.97.98.2.101.116.104.48';

  it('renders IpAddress, fixed-length, enumerated and IMPLIED indexes like snmptranslate', () => {
    const oids = [
      instance,
      '1.3.6.1.4.1.99999.1.30.1.5.10.0.0.1.97.98.1',
      '1.3.6.1.4.1.99999.1.30.1.5.10.0.0.1.97.98.3.120',
      '1.3.6.1.4.1.99999.1.30.1.5.10.0.0',
      '1.3.6.1.4.1.8072.1.3.2.2.1.2.0',
      '1.3.6.1.4.1.8072.1.3.2.2.1.2.3.1.200.10',
    ].map((o) => `.${o}`);
    expect(oids.map((o) => formatOid(mib, o))).toEqual(snmptranslate(oids));
    expect(oids.map((o) => formatOid(mib, o, 'full'))).toEqual(snmptranslate(['-Of', ...oids]));
    const more = [
      // (not the index holding byte 10: under -OX it prints as a raw line break, which splits the line)
      ...oids.filter((o) => !o.endsWith('.3.1.200.10')),
      '.1.3.6.1.2.1.2.2.1.8.5',
      '.1.3.6.1.2.1.4.22.1.2.1.10.0.0.1',
      '.1.3.6.1.2.1.1.1.0',
      '.1.3.6.1.2.1.1.9.1.2.3.4',
      '.1.3.6.1.4.1.8072.1.3.2.2.1.2.4.116.101.115.116',
    ];
    for (const [flags, format, options] of [
      [['-OX'], 'module', { extendedIndex: true }],
      [['-OX', '-Of'], 'full', { extendedIndex: true }],
      [['-OX', '-Oq'], 'module', { extendedIndex: true, quick: true }],
      [['-Ob'], 'module', { numericIndex: true }],
      [['-Ob', '-Os'], 'suffix', { numericIndex: true }],
      [['-OE'], 'module', { escapeQuotes: true }],
    ] as const) {
      expect(
        more.map((o) => formatOid(mib, o, format, options)),
        flags.join(' '),
      ).toEqual(snmptranslate([...flags, ...more]));
    }
  });

  it('parses quoted, enumerated and dotted index values back, with Net-SNMP’s quoting rules', () => {
    const name = `SNMPKIT-TEST-MIB::testValue.10.0.0.1.'ab'.off.'eth0'`;
    expect(`.${parseOid(mib, name).join('.')}`).toBe(snmptranslate(['-On', name])[0]);
    expect(parseOid(mib, 'SNMPKIT-TEST-MIB::testValue.10.0.0.1.97.98.2.101.116.104.48').join('.')).toBe(instance);
    expect(parseOid(mib, `SNMPKIT-TEST-MIB::testValue[10.0.0.1]['ab'][off]['eth0']`).join('.')).toBe(instance);
    expect(parseOid(mib, 'IF-MIB::ifDescr[7]').join('.')).toBe('1.3.6.1.2.1.2.2.1.2.7');
    expect(() => parseOid(mib, `SNMPKIT-TEST-MIB::testValue.10.0.0.1."ab".on.'x'`)).toThrow(
      /"-quote is for variable length strings/,
    );
    expect(() => parseOid(mib, `NET-SNMP-EXTEND-MIB::nsExtendCommand.'test'`)).toThrow(/'-quote is for fixed length/);
    expect(() => parseOid(mib, 'IF-MIB::ifOperStatus.up')).toThrow(/Index out of range/);
    expect(() => parseOid(mib, 'RFC1213-MIB::ipAdEntAddr.10.0.300.1')).toThrow(/Index out of range: 300/);
    const partial = ['RFC1213-MIB::ipAdEntAddr.1', 'NET-SNMP-EXTEND-MIB::nsExtendCommand.5.1'];
    expect(partial.map((n) => `.${parseOid(mib, n).join('.')}`)).toEqual(snmptranslate(['-On', ...partial]));
  });

  it('decodes an instance into typed index values and encodes them back', () => {
    const decoded = decodeIndex(mib, instance)!;
    expect(decoded.node.label).toBe('testValue');
    expect(decoded.indexes).toEqual([
      { name: 'testIdxAddr', value: '10.0.0.1', implied: false, text: '10.0.0.1' },
      { name: 'testIdxFixed', value: Uint8Array.from([97, 98]), implied: false, text: "'ab'" },
      { name: 'testIdxState', value: 2, implied: false, text: 'off', label: 'off' },
      { name: 'testIdxName', value: Uint8Array.from([101, 116, 104, 48]), implied: true, text: "'eth0'" },
    ]);
    // The parts' texts are the name's index, as snmptranslate prints it.
    expect(`${decoded.node.label}.${decoded.indexes.map((i) => i.text).join('.')}`).toBe(
      formatOid(mib, instance, 'suffix'),
    );
    expect(decoded.rest).toEqual([]);
    expect(encodeIndex(mib, column, ['10.0.0.1', 'ab', 'off', 'eth0']).join('.')).toBe(instance);
    expect(
      encodeIndex(
        mib,
        column,
        decoded.indexes.map((i) => i.value),
      ).join('.'),
    ).toBe(instance);
    const extend = mib.findNode('nsExtendCommand')!;
    const encoded = encodeIndex(mib, extend, ['test']);
    expect(encoded.join('.')).toBe('1.3.6.1.4.1.8072.1.3.2.2.1.2.4.116.101.115.116');
    expect(decodeIndex(mib, encoded)!.indexes[0]!.value).toEqual(Uint8Array.from(Buffer.from('test')));
    expect(() => encodeIndex(mib, column, ['10.0.0.1'])).toThrow(/expected 4 index values/);
  });
});

describe('DISPLAY-HINT and number formatting', () => {
  it('formats octet strings by RFC 2579 hints', () => {
    const bytes = (...b: number[]) => Uint8Array.from(b);
    expect(applyOctetHint('255a', Buffer.from('plain text'))).toBe('plain text');
    expect(applyOctetHint('1x:', bytes(0, 0x1b, 0xff))).toBe('0:1b:ff');
    expect(applyOctetHint('2d-1d-1d,1d:1d:1d.1d,1a1d:1d', bytes(0x07, 0xd0, 1, 2, 3, 4, 5, 6, 0x2d, 5, 30))).toBe(
      '2000-1-2,3:4:5.6,-5:30',
    );
    expect(applyOctetHint('1d.1d.1d.1d/1d', bytes(10, 1, 2, 0, 24))).toBe('10.1.2.0/24');
    // Once the hint is used up its last part repeats without the '*' count (as snmpwalk shows too).
    expect(applyOctetHint('*1x:', bytes(2, 0xaa, 0xbb, 1, 0xcc))).toBe('aa:bb:1:cc');
    expect(applyOctetHint('1q', bytes(1))).toBeUndefined();
  });

  it('formats integers by d-N, x, o and b hints', () => {
    expect(applyIntegerHint('d-2', 1234, false)).toBe('12.34');
    expect(applyIntegerHint('d-2', 7, false)).toBe('.07');
    expect(applyIntegerHint('d-2', -5, false)).toBe('-.05');
    expect(applyIntegerHint('d-3', -12345, false)).toBe('-12.345');
    expect(applyIntegerHint('x', 255, false)).toBe('ff');
    expect(applyIntegerHint('o', 8, false)).toBe('10');
    expect(applyIntegerHint('b', 5, false)).toBe('101');
    expect(applyIntegerHint('d', 4294967295, true)).toBe('4294967295');
  });

  it('prints binary as Net-SNMP does: 16 bytes a line, C rounding for floats', () => {
    expect(hexString(Uint8Array.from({ length: 17 }, (_, i) => i))).toBe(
      '00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F \n10 ',
    );
    expect(cFixed(2.3515625)).toBe('2.351562');
    expect(cFixed(2.3515635)).toBe('2.351564');
    expect(cFixed(-0.5)).toBe('-0.500000');
    expect(cFixed(1e21)).toBe('1000000000000000000000.000000');
  });

  it('prints by the value type when the MIB knows nothing, like Net-SNMP without MIBs', () => {
    const bare = new Mib({ dirs: [], modules: [], builtins: false, env: {} });
    expect(formatOid(bare, '1.3.6.1.2.1.1.1.0')).toBe('iso.3.6.1.2.1.1.1.0');
    expect(formatValue(bare, '1.3.6.1.2.1.1.1.0', { type: 'OctetString', value: Buffer.from('x"y') })).toBe(
      'STRING: "x\\"y"',
    );
    expect(formatValue(bare, '1.3', { type: 'TimeTicks', value: 8640123 })).toBe(
      'Timeticks: (8640123) 1 day, 0:00:01.23',
    );
    expect(formatValue(bare, '1.3', { type: 'TimeTicks', value: 17280000 })).toBe(
      'Timeticks: (17280000) 2 days, 0:00:00.00',
    );
    expect(formatValue(bare, '1.3', { type: 'Counter64', value: 2n ** 64n - 1n })).toBe(
      'Counter64: 18446744073709551615',
    );
    expect(formatValue(bare, '1.3', { type: 'IpAddress', value: '10.0.0.1' })).toBe('IpAddress: 10.0.0.1');
    expect(formatValue(bare, '1.3', { type: 'Null' })).toBe('NULL');
    expect(formatValue(bare, '1.3', { type: 'NoSuchInstance' })).toBe('No Such Instance currently exists at this OID');
    expect(formatValue(bare, '1.3', { type: 'OctetString', value: new Uint8Array() })).toBe('""');
    expect(formatValue(bare, '1.3', { type: 'Integer', value: 5 }, { quick: true })).toBe('5');
  });
});
