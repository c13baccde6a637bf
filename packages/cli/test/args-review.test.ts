/**
 * The option grammar behind golden-review-a.test.ts, case by case: -L and -I with their arguments, -l's and
 * defSecurityLevel's level names (one table), -Cr/-Cn numbers, snmp.conf's display tokens over the -O letters, and
 * snmptable's -C words (takeAppFlagWords). The Net-SNMP behaviour each follows is checked there against the tools.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { securityLevelNamed } from '@snmpkit/usm';
import { describe, expect, it } from 'vitest';
import { InfoRequest, parseArgs, takeAppFlagWords, UsageError } from '../src/args.js';
import { bufferIo } from '../src/io.js';
import { logIo } from '../src/presenter.js';
import { applyClientDefaults, clientSettingsOf } from '../src/snmp-conf.js';
import { securityLevel } from '../src/v3-user.js';

const parse = (...words: string[]) => parseArgs(words, { appFlags: { n: 'number', r: 'number', c: 'none' } });

describe('-L', () => {
  it('takes its value attached or as the next word, and F/S a second word', () => {
    expect(parse('-Lf', '/tmp/x.log', 'agent').options.log).toEqual({ to: 'file', file: '/tmp/x.log', errors: true });
    expect(parse('-Lf/tmp/x.log', 'agent').positionals).toEqual(['agent']);
    expect(parse('-L', 'f', '/tmp/x', 'agent').options.log?.file).toBe('/tmp/x');
    expect(parse('-LF', '7', '/tmp/x', 'agent')).toMatchObject({
      options: { log: { to: 'file', file: '/tmp/x', errors: true } },
      positionals: ['agent'],
    });
    expect(parse('-LS', '7', 'daemon', 'agent').positionals).toEqual(['agent']);
    expect(parse('-LSd', 'daemon', 'agent').positionals).toEqual(['agent']);
    expect(parse('-Ls', 'daemon', 'agent').options.log?.to).toBe('none');
    // e, o and n read one letter: the rest of the word is ignored, no word is taken.
    expect(parse('-Lef', 'agent').positionals).toEqual(['agent']);
  });

  it('reads priorities: a level, !acewnid, or a range; LOG_ERR in or out', () => {
    expect(parse('-LE', '3', 'a').options.log).toEqual({ to: 'stderr', errors: true });
    expect(parse('-LE', '0-2', 'a').options.log?.errors).toBe(false);
    expect(parse('-LE', '7-3', 'a').options.log?.errors).toBe(true);
    expect(parse('-LEc', 'a').options.log?.errors).toBe(false);
    expect(parse('-LEW', 'a').options.log?.errors).toBe(true);
    expect(parse('-LO3x', 'a').options.log).toEqual({ to: 'stdout', errors: true });
  });

  it('refuses what Net-SNMP refuses, with its words', () => {
    expect(() => parse('-Lx', 'a')).toThrow(new UsageError('Unknown logging option passed to -L: x.'));
    expect(() => parse('-LE8', 'a')).toThrow(new UsageError('invalid priority: 8'));
    expect(() => parse('-LE', '2-9', 'a')).toThrow(new UsageError('invalid priority: 9'));
    expect(() => parse('-LE3-', 'a')).toThrow(new UsageError('invalid priority: '));
    expect(() => parse('-Ls', 'bogus', 'a')).toThrow(new UsageError('invalid syslog facility: b'));
    expect(() => parse('-LS', '7', 'x', 'a')).toThrow(new UsageError('invalid syslog facility: x'));
    expect(() => parse('-Lf')).toThrow(/option requires an argument/);
  });

  it('logIo sends log messages where -L says, plain stderr staying', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snmpkit-log-'));
    try {
      const cases: [string[], string, string][] = [
        [['-Le'], '', 'm\n'],
        [['-Lo'], 'm\n', ''],
        [['-Ln'], '', ''],
        [['-Ls', 'daemon'], '', ''],
        [['-LE', '0-2'], '', ''],
      ];
      for (const [words, out, err] of cases) {
        const io = bufferIo();
        logIo(parse(...words, 'a').options, io).err('m\n');
        expect([io.stdout(), io.stderr()], words.join(' ')).toEqual([out, err]);
      }
      const io = bufferIo();
      const file = join(dir, 'log');
      logIo(parse('-Lf', file, 'a').options, io).err('one\n');
      logIo(parse('-LF', 'd', file, 'a').options, io).err('two\n');
      expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n');
      expect(io.stderr()).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('-I', () => {
  it('-Is and -IS take a value; the last counts; other letters accumulate', () => {
    const { options, positionals } = parse('-Is', '.0', '-IS.1.3', '-IRs', '.1', '-Ib', 'agent');
    expect(options).toMatchObject({ oidSuffix: '.1', oidPrefix: '.1.3', inputFlags: 'Rb' });
    expect(positionals).toEqual(['agent']);
    expect(() => parse('-Ix', 'a')).toThrow(new UsageError('Unknown input option passed to -I: x.'));
  });
});

describe('security levels', () => {
  it('-l takes the names, numbers and abbreviations Net-SNMP takes, in any case', () => {
    const level = (l: string) => securityLevel(parse('-l', l).options);
    for (const l of ['1', 'noauth', 'NOAUTH', 'noAuthNoPriv', 'nanp', 'NANP']) expect(level(l), l).toBe('noAuthNoPriv');
    for (const l of ['2', 'auth', 'Auth', 'authNoPriv', 'anp', 'ANP']) expect(level(l), l).toBe('authNoPriv');
    for (const l of ['3', 'priv', 'authpriv', 'ap', 'AP']) expect(level(l), l).toBe('authPriv');
    for (const l of ['0', '4', 'nap', 'a', 'np', 'apx', '01', ' 1', 'authNo', '']) {
      expect(() => level(l), l).toThrow(`Invalid security level specified after -3l flag: ${l}`);
    }
  });

  it('defSecurityLevel takes them but noauth, auth and priv', () => {
    expect(['ap', 'ANP', 'nanp', '2', 'authPriv'].map((l) => securityLevelNamed(l))).toEqual([
      'authPriv',
      'authNoPriv',
      'noAuthNoPriv',
      'authNoPriv',
      'authPriv',
    ]);
    for (const l of ['noauth', 'auth', 'priv', 'nap', '0']) expect(securityLevelNamed(l), l).toBeUndefined();
  });
});

describe('-Cr and -Cn', () => {
  it('take a number attached (strtol: a sign, then digits)', () => {
    expect(parse('-Cr25', 'a').options.appFlags).toEqual([{ flag: 'r', value: '25' }]);
    expect(parse('-Cn1r2c', 'a').options.appFlags).toEqual([
      { flag: 'n', value: '1' },
      { flag: 'r', value: '2' },
      { flag: 'c', value: '' },
    ]);
    expect(parse('-Cr+3', 'a').options.appFlags).toEqual([{ flag: 'r', value: '3' }]);
    expect(parse('-Cr-1', 'a').options.appFlags).toEqual([{ flag: 'r', value: '-1' }]);
  });

  it('without one: the usage alone (InfoRequest help)', () => {
    for (const words of [
      ['-Cr', 'a'],
      ['-Cr', '5', 'a'],
      ['-Crabc', 'a'],
      ['-Cnr3', 'a'],
      ['-Cr3n', 'a'],
    ]) {
      expect(() => parse(...words), words.join(' ')).toThrow(InfoRequest);
    }
    expect(() => parse('-Cr3x', 'a')).toThrow(new UsageError('Unknown flag passed to -C: x', false));
  });
});

describe("snmptable's -C words", () => {
  it('each value letter takes the next word, in order; a letter at the end is missing', () => {
    const words = ['-Cfr', ':', '5', '-C', 'w', '20', '-Cb', 'agent', 'table'];
    const { values, missing } = takeAppFlagWords(words, 'fcrw');
    expect([...values]).toEqual([
      ['f', ':'],
      ['r', '5'],
      ['w', '20'],
    ]);
    expect(missing).toBeUndefined();
    expect(words).toEqual(['-Cb', 'agent', 'table']);
    const last = ['agent', '-Cbc'];
    expect(takeAppFlagWords(last, 'fcrw').missing).toBe('c');
    expect(last).toEqual(['agent', '-Cb']);
  });
});

describe('snmp.conf display tokens', () => {
  const line = (token: string, value: string, n = 1) => ({ file: 'snmp.conf', line: n, token, value });

  it('override the -O letters, in the order of the lines', () => {
    const { client, messages } = clientSettingsOf([
      line('quickPrinting', 'no'),
      line('printNumericOids', 'yes', 2),
      line('oidOutputFormat', '3', 3),
      line('numericTimeticks', 'TRUE', 4),
      line('dontBreakdownOids', '1 extra', 5),
    ]);
    expect(messages).toBe('');
    const { options } = parse('-Oqn', 'a');
    applyClientDefaults(options, client);
    expect(options.output).toMatchObject({
      quick: false,
      oidFormat: 'full',
      numericTimeticks: true,
      numericIndex: true,
    });
  });

  it('report bad values as Net-SNMP does', () => {
    const { client, messages } = clientSettingsOf([line('quickPrinting', 'on'), line('suffixPrinting', 'x', 2)]);
    expect(client.output).toBeUndefined();
    expect(messages).toBe(
      'snmp.conf: line 1: Error: Should be yes|no|true|false|0|1\n' +
        'snmp.conf: line 2: Error: Bad integer value\n' +
        'net-snmp: 2 error(s) in config file(s)\n',
    );
    // 6 (no OID at all) has no counterpart: the format is left as it was.
    expect(clientSettingsOf([line('oidOutputFormat', '6')]).client.output).toBeUndefined();
  });
});
