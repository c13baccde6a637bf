/**
 * Whatever the command line, snmpkit ends with an exit code and a message, never an exception or a stack trace:
 * random command lines (fast-check) made of real and broken options and arguments, run in-process. The agent is
 * 127.0.0.1:1 (nothing answers) with a 20 ms timeout, so requests fail fast and nothing leaves loopback.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../src/io.js';
import { main } from '../src/main.js';

process.env.MIBS = '';

// table is left out: its -Cf and -Cr take the next word, which could make the timeout or the agent a value.
const COMMANDS = [
  'get',
  'getnext',
  'bulkget',
  'walk',
  'bulkwalk',
  'set',
  'translate',
  'decode',
  'trap',
  'inform',
  'record',
];
// Options with their values attached, so that none can swallow the agent or the timeout that follow.
const OPTIONS = [
  '-v1',
  '-v2c',
  '-v3',
  '-v2',
  '-vx',
  '-cpublic',
  '-cprivate',
  '-On',
  '-Oqv',
  '-Oz',
  '-OX',
  '-Cr5',
  '-Cn1',
  '-Cp',
  '-Ci',
  '-Cc',
  '-Cf',
  '-Cx',
  '-ubob',
  '-lauthPriv',
  '-lnoAuthNoPriv',
  '-lbogus',
  '-aSHA',
  '-aMD9',
  '-Ashort',
  '-Along-enough-pass',
  '-xAES',
  '-xROT13',
  '-Xlong-enough-pass',
  '-d',
  '-mALL',
  '-mNO-SUCH-MIB',
  '-M/nonexistent',
  '--json',
  '-y',
  '--bogus',
  '-h',
  '-V',
  '-t0',
  '-rx',
  '-IR',
  '-e80001f88',
  '-Ezz',
  '-nctx',
  '-Pu',
  '-Lo',
];
const ARGUMENTS = [
  '1.3.6.1.2.1.1.1.0',
  '.1.3.6.1.2.1.1',
  'iso.3.6.1',
  'sysDescr.0',
  'IF-MIB::ifDescr.1',
  'foo',
  '',
  '1.3..6',
  '1',
  '4294967296.1',
  'i',
  's',
  'x',
  'd',
  'b',
  'o',
  'a',
  'U',
  'F',
  'z',
  '=',
  '5',
  '-5',
  'zz',
  '0x41',
  '256.1.1.1',
  '1,3',
  '302602010104067075626c6963a01902',
  '30',
  '-',
  'ifTable',
  '1.3.6.1.6.3.1.1.5.1',
  '99999999999999999999',
];

describe('random command lines', () => {
  it('always end with an exit code and a one-line reason, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...COMMANDS),
        fc.array(fc.constantFrom(...OPTIONS), { maxLength: 5 }),
        fc.array(fc.constantFrom(...ARGUMENTS), { maxLength: 6 }),
        async (command, options, args) => {
          const io = bufferIo('not hex at all');
          const argv = [command, ...options, '-t', '0.02', '-r', '0', '127.0.0.1:1', ...args];
          const exitCode = await main(argv, io);
          expect([0, 1, 2], argv.join(' ')).toContain(exitCode);
          const stderr = io.stderr();
          expect(stderr, argv.join(' ')).not.toMatch(
            /\n\s+at |TypeError|ReferenceError|Cannot read prop|is not a function/,
          );
          // -Lo sends Net-SNMP's log messages (an unknown OID's, say) to stdout, as snmpget does.
          const reason = options.includes('-Lo') ? `${stderr}${io.stdout()}` : stderr;
          if (exitCode !== 0) expect(reason.trim(), argv.join(' ')).not.toBe('');
        },
      ),
      { numRuns: 150 },
    );
  });
});
