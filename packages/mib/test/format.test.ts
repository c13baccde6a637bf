/**
 * The value and OID text rules one by one (C's %f, TimeTicks, hex dumps), and the formatter and parser with no
 * `Mib` at all, checked against Net-SNMP's tools run with no MIB module (MIBS empty, no MIB directory).
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cFixed,
  formatOid,
  formatValue,
  formatVarbind,
  hexString,
  type OidFormat,
  parseOid,
  timeticksText,
} from '../src/index.js';

const NO_MIBS = { ...process.env, MIBS: '', MIBDIRS: '/nonexistent' };

/** snmptranslate with no MIB module: its stdout lines and its stderr. */
function snmptranslate(args: string[]): { lines: string[]; stderr: string } {
  try {
    const stdout = execFileSync('snmptranslate', args, { encoding: 'utf8', env: NO_MIBS, stdio: 'pipe' });
    return { lines: stdout.trim().split(/\n+/), stderr: '' };
  } catch (error) {
    return { lines: [], stderr: String((error as { stderr: string }).stderr).trim() };
  }
}

describe("printf('%f')", () => {
  it('rounds exact ties to even, as glibc does (toFixed would round up)', () => {
    expect(cFixed(0.0078125)).toBe('0.007812'); // exactly 0.0078125
    expect(cFixed(0.0234375)).toBe('0.023438'); // exactly 0.0234375, 7 is odd
    expect((0.0078125).toFixed(6)).toBe('0.007813');
  });

  it('prints the exact decimal expansion of large doubles, and the special values', () => {
    expect(cFixed(1e22)).toBe('10000000000000000000000.000000');
    expect(cFixed(2 ** 70)).toBe('1180591620717411303424.000000');
    expect(cFixed(-0)).toBe('-0.000000');
    expect(cFixed(Number.POSITIVE_INFINITY)).toBe('inf');
    expect(cFixed(Number.NaN)).toBe('nan');
    expect(cFixed(5e-324)).toBe('0.000000');
  });

  it('agrees with toFixed(6) wherever toFixed is exact (below 1e21, away from ties)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e15, max: 1e15, noNaN: true }), (x) => {
        const scaled = Math.abs(x) * 1e6;
        fc.pre(Math.abs(scaled - Math.floor(scaled) - 0.5) > 1e-3 && !Object.is(x, -0));
        expect(cFixed(x)).toBe(x.toFixed(6));
      }),
    );
  });

  it("cuts an Opaque float at 127 characters, as Net-SNMP's 128-byte buffer does", () => {
    const huge = { type: 'Opaque', value: new Uint8Array(), opaque: { type: 'Double', value: 1e300 } } as const;
    const text = formatValue(undefined, '1.3.6', huge);
    expect(text).toBe(`Opaque: Float: ${cFixed(1e300).slice(0, 127)}`);
    expect(cFixed(1e300).length).toBeGreaterThan(127);
  });
});

describe('TimeTicks', () => {
  it('prints days only when there are some, singular for one; -Oq as days:hours:...', () => {
    expect(timeticksText(1287)).toBe('0:00:12.87');
    expect(timeticksText(8640000)).toBe('1 day, 0:00:00.00');
    expect(timeticksText(8640000 * 3 + 1)).toBe('3 days, 0:00:00.01');
    expect(timeticksText(8640000 + 1287, true)).toBe('1:0:00:12.87');
  });
});

describe('hex strings', () => {
  it('breaks every 16 bytes, -OT adds the printable text of each line, no bytes make one empty line', () => {
    const bytes = Uint8Array.from({ length: 18 }, (_, i) => 0x41 + i);
    expect(hexString(bytes)).toBe('41 42 43 44 45 46 47 48 49 4A 4B 4C 4D 4E 4F 50 \n51 52 ');
    expect(hexString(bytes, true)).toBe(
      '41 42 43 44 45 46 47 48 49 4A 4B 4C 4D 4E 4F 50   [ABCDEFGHIJKLMNOP]\n51 52   [QR]',
    );
    expect(hexString(new Uint8Array())).toBe('');
    expect(hexString(new Uint8Array(), true)).toBe('  []');
  });
});

describe('without a Mib: what Net-SNMP prints and reads with no MIB module', () => {
  const oids = ['1.3.6.1.2.1.1.1.0', '0.0', '2.999.5', '1', '5.1'];
  const forms: Array<[OidFormat, string[]]> = [
    ['module', []],
    ['numeric', ['-On']],
    ['full', ['-Of']],
    ['suffix', ['-Os']],
    ['ucd', ['-Ou']],
  ];

  it.each(forms)('names OIDs in the %s form as snmptranslate does', (format, flags) => {
    expect(oids.map((oid) => formatOid(undefined, oid, format))).toEqual(snmptranslate([...flags, ...oids]).lines);
  });

  it('reads numbers and root names back, and fails with the messages snmptranslate gives', () => {
    const inputs = ['.1.3.6.1.2.1.1.1.0', 'iso.3.6.1', '.joint-iso-ccitt.5', 'ccitt.0'];
    expect(inputs.map((input) => `.${parseOid(undefined, input).join('.')}`)).toEqual(
      snmptranslate(['-On', ...inputs]).lines,
    );
    for (const bad of ['sysDescr.0', '.foo', '1.3.foo.5', '1..3', '1.3.', 'iso.org']) {
      const { stderr } = snmptranslate([bad]);
      expect(stderr, bad).toMatch(/Unknown Object Identifier/);
      expect(() => parseOid(undefined, bad), bad).toThrow(stderr);
    }
  });

  it('refuses sub-ids SNMP cannot carry', () => {
    expect(() => parseOid(undefined, '1.3.4294967296')).toThrow(
      '1.3.4294967296: Unknown Object Identifier (Sub-id out of range)',
    );
  });

  it('prints values by their own type, OID values with root names, and lines as -Oq, -OQ and -Ov shape them', () => {
    const oid = '1.3.6.1.2.1.1.2.0';
    const value = { type: 'ObjectIdentifier', value: '1.3.6.1.4.1.8072.3.2.10' } as const;
    expect(formatVarbind(undefined, oid, value)).toBe('iso.3.6.1.2.1.1.2.0 = OID: iso.3.6.1.4.1.8072.3.2.10');
    expect(formatVarbind(undefined, oid, value, { quick: true })).toBe('iso.3.6.1.2.1.1.2.0 iso.3.6.1.4.1.8072.3.2.10');
    expect(formatVarbind(undefined, oid, value, { quick: true, quickEquals: true, oidFormat: 'numeric' })).toBe(
      '.1.3.6.1.2.1.1.2.0 = .1.3.6.1.4.1.8072.3.2.10',
    );
    expect(formatVarbind(undefined, oid, value, { valueOnly: true, oidFormat: 'full' })).toBe(
      'OID: .iso.3.6.1.4.1.8072.3.2.10',
    );
    const bytes = { type: 'OctetString', value: Uint8Array.from([0, 0x41]) } as const;
    expect(formatValue(undefined, oid, bytes, { hexText: true })).toBe('Hex-STRING: 00 41   [.A]');
    expect(formatValue(undefined, oid, { type: 'Opaque', value: new Uint8Array() }, { hexText: true })).toBe(
      'OPAQUE:   []',
    );
  });
});

describe('values only older agents send (printed as snmpget 5.9 printed them from a loopback agent sending the bytes)', () => {
  const sysUpTime = '1.3.6.1.2.1.1.3.0';

  it('prints a UInteger32 (tag 0x47) as a bare number, as sprint_realloc_uinteger does', () => {
    const value = { type: 'UInteger32', value: 4294967295 } as const;
    expect(formatValue(undefined, sysUpTime, value)).toBe('4294967295');
    expect(formatValue(undefined, sysUpTime, { type: 'UInteger32', value: 5 }, { quick: true })).toBe('5');
    expect(formatVarbind(undefined, sysUpTime, value, { oidFormat: 'numeric' })).toBe(
      '.1.3.6.1.2.1.1.3.0 = 4294967295',
    );
  });

  it('prints the zero-length OID value (06 00, decoded as .0) as ccitt, and .0 with -On', () => {
    const value = { type: 'ObjectIdentifier', value: '0' } as const;
    expect(formatValue(undefined, sysUpTime, value)).toBe('OID: ccitt');
    expect(formatValue(undefined, sysUpTime, value, { oidFormat: 'numeric' })).toBe('OID: .0');
    expect(formatValue(undefined, sysUpTime, value, { oidFormat: 'full' })).toBe('OID: .ccitt');
  });
});
