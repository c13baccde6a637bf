/** Net-SNMP text rules that the golden tests cannot reach with a live agent, checked one by one. */
import { SnmpValue } from '@snmpkit/ber';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../src/args.js';
import {
  applyOutputFlags,
  defaultOutputSettings,
  formatValue,
  hexString,
  printfFixed6,
  timeticksText,
} from '../src/format.js';

describe("printf('%f')", () => {
  it('rounds exact ties to even, as glibc does (toFixed would round up)', () => {
    expect(printfFixed6(0.0078125)).toBe('0.007812'); // exactly 0.0078125
    expect(printfFixed6(0.0234375)).toBe('0.023438'); // exactly 0.0234375, 7 is odd
    expect((0.0078125).toFixed(6)).toBe('0.007813');
  });

  it('prints the exact decimal expansion of large doubles, and the special values', () => {
    expect(printfFixed6(1e22)).toBe('10000000000000000000000.000000');
    expect(printfFixed6(2 ** 70)).toBe('1180591620717411303424.000000');
    expect(printfFixed6(-0)).toBe('-0.000000');
    expect(printfFixed6(Number.POSITIVE_INFINITY)).toBe('inf');
    expect(printfFixed6(Number.NaN)).toBe('nan');
    expect(printfFixed6(5e-324)).toBe('0.000000');
  });

  it('agrees with toFixed(6) wherever toFixed is exact (below 1e21, away from ties)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e15, max: 1e15, noNaN: true }), (x) => {
        const scaled = Math.abs(x) * 1e6;
        fc.pre(Math.abs(scaled - Math.floor(scaled) - 0.5) > 1e-3 && !Object.is(x, -0));
        expect(printfFixed6(x)).toBe(x.toFixed(6));
      }),
    );
  });
});

describe('TimeTicks', () => {
  it('prints days only when there are some, singular for one', () => {
    expect(timeticksText(1287, false)).toBe('0:00:12.87');
    expect(timeticksText(8640000, false)).toBe('1 day, 0:00:00.00');
    expect(timeticksText(8640000 * 3 + 1, false)).toBe('3 days, 0:00:00.01');
    expect(timeticksText(8640000 + 1287, true)).toBe('1:0:00:12.87');
  });
});

describe('hex strings', () => {
  it('breaks every 16 bytes, -OT adds the printable text of each line', () => {
    const bytes = Uint8Array.from({ length: 18 }, (_, i) => 0x41 + i);
    expect(hexString(bytes, false)).toBe('41 42 43 44 45 46 47 48 49 4A 4B 4C 4D 4E 4F 50 \n51 52 ');
    expect(hexString(bytes, true)).toBe(
      '41 42 43 44 45 46 47 48 49 4A 4B 4C 4D 4E 4F 50   [ABCDEFGHIJKLMNOP]\n51 52   [QR]',
    );
  });
});

describe('-O flags', () => {
  it('toggle (q, v, t...) or set (n, f, s, x, a) as snmp_out_options does', () => {
    const settings = defaultOutputSettings();
    expect(applyOutputFlags(settings, 'qq')).toBeUndefined();
    expect(settings.quick).toBe(false);
    applyOutputFlags(settings, 'Q');
    expect(settings).toMatchObject({ quick: true, quickEquals: true });
    applyOutputFlags(settings, 'nfx');
    expect(settings).toMatchObject({ oidStyle: 'full', strings: 'hex' });
    expect(applyOutputFlags(settings, 'nz')).toBe('z');
  });

  it('-Ox turns text into hex; -Oa turns bytes into dotted text', () => {
    const hex = { ...defaultOutputSettings(), strings: 'hex' as const };
    const ascii = { ...defaultOutputSettings(), strings: 'ascii' as const };
    expect(formatValue(SnmpValue.octetString('AB'), hex)).toBe('Hex-STRING: 41 42 ');
    expect(formatValue(SnmpValue.octetString(new Uint8Array([0x41, 0, 0x22])), ascii)).toBe('STRING: "A.\\""');
  });
});

describe('argument grammar', () => {
  it('accepts attached and separate values, options after positionals, and splits -dOn', () => {
    const { options, positionals } = parseArgs(['-v2c', '-c', 'public', 'host', '1.3.6', '-dOn', '-Cr25'], {
      appFlags: { r: 'number' },
    });
    expect(options).toMatchObject({ version: '2c', community: 'public', dump: true });
    expect(options.output.oidStyle).toBe('numeric');
    expect(options.appFlags).toEqual([{ flag: 'r', value: '25' }]);
    expect(positionals).toEqual(['host', '1.3.6']);
  });

  it('reads -t and -r with C number rules', () => {
    expect(parseArgs(['-t', '1.5s', '-r', '3x']).options).toMatchObject({ timeout: 1.5, retries: 3 });
    expect(() => parseArgs(['-t', '0'])).toThrow('Invalid timeout in seconds after -t flag.');
    expect(() => parseArgs(['-r', '-1'])).toThrow('Invalid number of retries after -r flag.');
  });

  it('knows 1, 2c (any case) and 3, defaults to 3 like Net-SNMP, and rejects the rest', () => {
    expect(parseArgs([]).options.version).toBe('3');
    expect(parseArgs(['-v', '2C']).options.version).toBe('2c');
    expect(() => parseArgs(['-v', '2'])).toThrow(UsageError);
  });

  it('stops at -- (everything after is positional)', () => {
    expect(parseArgs(['-v1', '--', '-On']).positionals).toEqual(['-On']);
  });
});
