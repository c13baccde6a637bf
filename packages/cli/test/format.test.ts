/**
 * The -O letters, the argument grammar and the CLI's use of @snmpkit/mib's formatter and OID parser, checked one by
 * one where the golden tests cannot reach with a live agent. The value rules themselves (%f rounding, TimeTicks, hex
 * dumps) are tested in @snmpkit/mib.
 */
import { SnmpValue } from '@snmpkit/ber';
import { MibLookupError } from '@snmpkit/mib';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../src/args.js';
import { applyOutputFlags, defaultOutputSettings } from '../src/output-flags.js';
import { noMibPresenter, parseOidWithoutMibs } from '../src/presenter.js';

describe('-O flags', () => {
  it('toggle (q, v, t...) or set (n, f, s, x, a) as snmp_out_options does', () => {
    const settings = defaultOutputSettings();
    expect(applyOutputFlags(settings, 'qq')).toBeUndefined();
    expect(settings.quick).toBe(false);
    applyOutputFlags(settings, 'Q');
    expect(settings).toMatchObject({ quick: true, quickEquals: true });
    applyOutputFlags(settings, 'nfx');
    expect(settings).toMatchObject({ oidFormat: 'full', stringFormat: 'hex' });
    expect(applyOutputFlags(settings, 'nz')).toBe('z');
    applyOutputFlags(settings, 'uvbXTE0');
    expect(settings).toMatchObject({
      oidFormat: 'ucd',
      valueOnly: true,
      numericIndex: true,
      extendedIndex: true,
      hexText: true,
      escapeQuotes: true,
      twoDigitHex: true,
    });
  });

  it('-Oq then -OQ leaves only the " = " part of -OQ on: typed values after " = "', () => {
    const settings = defaultOutputSettings();
    applyOutputFlags(settings, 'qQ');
    expect(settings).toMatchObject({ quick: false, quickEquals: true });
    const line = noMibPresenter(settings).varbind({ oid: '1.3.6.1.2.1.1.7.0', value: SnmpValue.integer(72) });
    expect(line).toBe('iso.3.6.1.2.1.1.7.0 = INTEGER: 72');
  });

  it('-Ox turns text into hex; -Oa turns bytes into dotted text', () => {
    const hex = noMibPresenter({ ...defaultOutputSettings(), stringFormat: 'hex' });
    const ascii = noMibPresenter({ ...defaultOutputSettings(), stringFormat: 'ascii' });
    expect(hex.value('1.3.6.1.4.1.1.0', SnmpValue.octetString('AB'))).toBe('Hex-STRING: 41 42 ');
    expect(ascii.value('1.3.6.1.4.1.1.0', SnmpValue.octetString(new Uint8Array([0x41, 0, 0x22])))).toBe(
      'STRING: "A.\\""',
    );
  });

  it('-Ov, -Oq and -OQ shape the whole line', () => {
    const vb = { oid: '1.3.6.1.2.1.1.5.0', value: SnmpValue.octetString('host') };
    const line = (flags: string) => {
      const settings = defaultOutputSettings();
      applyOutputFlags(settings, flags);
      return noMibPresenter(settings).varbind(vb);
    };
    expect(line('v')).toBe('STRING: "host"');
    expect(line('q')).toBe('iso.3.6.1.2.1.1.5.0 "host"');
    expect(line('Q')).toBe('iso.3.6.1.2.1.1.5.0 = "host"');
    expect(line('nqv')).toBe('"host"');
  });
});

describe('OID arguments without MIB modules', () => {
  it('reads numbers and root names; a single arc is refused (BER cannot encode it)', () => {
    expect(parseOidWithoutMibs('.1.3.6.1.2.1.1.1.0')).toBe('1.3.6.1.2.1.1.1.0');
    expect(parseOidWithoutMibs('iso.3.6.1')).toBe('1.3.6.1');
    expect(parseOidWithoutMibs('joint-iso-ccitt.5')).toBe('2.5');
    expect(() => parseOidWithoutMibs('ccitt')).toThrow(
      'ccitt: Unknown Object Identifier (an OID needs at least two sub-ids)',
    );
  });

  it("fails with Net-SNMP's messages, as MibLookupError (snmpset prints its detail after the OID)", () => {
    const failure = (text: string) => {
      try {
        parseOidWithoutMibs(text);
      } catch (error) {
        if (error instanceof MibLookupError) return error;
      }
      throw new Error(`${text} was accepted`);
    };
    expect(failure('sysDescr.0').message).toBe(
      'sysDescr.0: Unknown Object Identifier (Sub-id not found: (top) -> sysDescr)',
    );
    expect(failure('1.3.foo.5').detail).toBe('Unknown Object Identifier (foo.5)');
    expect(failure('1.3.').message).toBe('1.3.: Unknown Object Identifier ()');
    expect(failure('1.3.4294967296').detail).toBe('Unknown Object Identifier (Sub-id out of range)');
  });
});

describe('argument grammar', () => {
  it('accepts attached and separate values, options after positionals, and splits -dOn', () => {
    const { options, positionals } = parseArgs(['-v2c', '-c', 'public', 'host', '1.3.6', '-dOn', '-Cr25'], {
      appFlags: { r: 'number' },
    });
    expect(options).toMatchObject({ version: '2c', community: 'public', dump: true });
    expect(options.output.oidFormat).toBe('numeric');
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
