/**
 * Golden cases from an operator's comparison with Net-SNMP 5.9.3: -L and -I options with their arguments (-Is/-IS
 * change the OIDs read, -L where log messages go), -l's abbreviations (and defSecurityLevel's), -Cr/-Cn without a
 * number, snmp.conf's display tokens (quickPrinting, oidOutputFormat... over the -O letters) and snmptable's
 * table-count message. Each case runs the Net-SNMP tool and snmpkit with the same arguments and environment
 * (SNMPCONFPATH a directory of the case's own) and expects the same stdout, exit code and stderr (Net-SNMP's program
 * name read as snmpkit's; for usage errors the first line, the usage text being snmpkit's own).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type NetSnmpTool,
  type SnmpdInstance,
  startSnmpd,
  TEST_AUTH_PASSWORD,
  TEST_PRIV_PASSWORD,
  testUser,
} from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from './golden-compare.js';

const SYS = '.1.3.6.1.2.1.1';
const SYS_NAME = `${SYS}.5.0`;
const SHA_AES_USER = testUser('SHA', 'AES');
const SHA256_USER = testUser('SHA-256');
const NOAUTH_USER = testUser();

let snmpd: SnmpdInstance;
let root: string;
let dirs = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'snmpkit-review-a-'));
  snmpd = await startSnmpd({ users: [SHA_AES_USER, SHA256_USER, NOAUTH_USER] });
});

afterAll(async () => {
  await snmpd?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** `@D` is snmpd's UDP peer; `@FILE` a file in the case's directory. */
function resolve(args: readonly string[], dir: string): string[] {
  return args.map((a) =>
    a === '@D' ? snmpd.endpoints.udp!.replace('udp:', '') : a.replace('@FILE', join(dir, 'log')),
  );
}

/**
 * Runs both with `conf` as snmp.conf (none: an empty directory) and compares (golden-compare.ts). With `logFile`, both
 * also write the same log file (`@FILE` in the arguments), compared too.
 */
async function compare(tool: NetSnmpTool, rawArgs: readonly string[], conf = '', logFile = false): Promise<void> {
  const dir = join(root, `case-${dirs++}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'snmp.conf'), conf);
  const log = join(dir, 'log');
  let theirLog = '';
  await compareRuns(tool, resolve(rawArgs, dir), {
    env: { SNMPCONFPATH: dir, HOME: dir },
    // Net-SNMP's log file is read, and removed for snmpkit to write its own, between the two runs.
    ...(logFile
      ? {
          betweenRuns: () => {
            theirLog = readFileSync(log, 'utf8');
            rmSync(log);
          },
        }
      : {}),
  });
  if (logFile) expect(readFileSync(log, 'utf8'), `${tool} ${rawArgs.join(' ')}: log file`).toBe(theirLog);
}

type Case = [tool: NetSnmpTool, args: string[], conf?: string];
const V2 = ['-v2c', '-c', 'public'];
/** The authPriv user's protocols and pass phrases. */
const SHA_AES = ['-a', 'SHA', '-A', TEST_AUTH_PASSWORD, '-x', 'AES', '-X', TEST_PRIV_PASSWORD];
const SHA256 = ['-a', 'SHA-256', '-A', TEST_AUTH_PASSWORD];

const LOG_OPTIONS: Case[] = [
  ['snmpget', [...V2, '-Lf', '/dev/null', '@D', SYS_NAME]],
  ['snmpget', [...V2, '-Lf/dev/null', '@D', SYS_NAME]],
  ['snmpget', [...V2, '-Ls', 'daemon', '@D', SYS_NAME]],
  ['snmpget', [...V2, '-LS', '7', 'daemon', '@D', SYS_NAME]],
  ['snmpget', [...V2, '-LSd', 'user', '@D', SYS_NAME]],
  ['snmpget', [...V2, '-LF', '7', '/dev/null', '@D', SYS_NAME]],
  ['snmpget', [...V2, '-LE', '3', '@D', SYS_NAME]],
  ['snmpget', [...V2, '-LO', 'w', '@D', SYS_NAME]],
  ['snmpget', [...V2, '-LN', '0-7', '@D', SYS_NAME]],
  ['snmpget', [...V2, '-Ln', '@D', SYS_NAME]],
  ['snmpget', [...V2, '-Lx', '@D', SYS_NAME]],
  ['snmpget', [...V2, '-LE8', '@D', SYS_NAME]],
  ['snmpget', [...V2, '-LE', '2-9', '@D', SYS_NAME]],
  ['snmpget', [...V2, '-Ls', 'bogus', '@D', SYS_NAME]],
  ['snmpget', [...V2, '-Ln', '-t', '0.2', '-r', '0', '127.0.0.1:9', SYS_NAME]],
  // The agent commands' log messages (unknown OIDs, missing modules) follow -L too; timeouts stay on stderr.
  ['snmpget', [...V2, '-Ln', '@D', 'foo.0']],
  ['snmpget', [...V2, '-Lo', '@D', 'foo.0', SYS_NAME]],
  ['snmpget', [...V2, '-Lf', '/dev/null', '-m', 'NO-SUCH-MIB', '@D', SYS_NAME]],
  ['snmpgetnext', [...V2, '-Ln', '-m', 'NO-SUCH-MIB', '@D', `${SYS}.4`]],
  ['snmptranslate', ['-Ln', 'foo.0']],
  ['snmptranslate', ['-Le', 'foo.0']],
  ['snmptranslate', ['-Lo', 'foo.0']],
  ['snmptranslate', ['-LE', '0-2', 'foo.0']],
  ['snmptranslate', ['-LE', 'e', 'foo.0']],
  ['snmptranslate', ['-Lf', '/dev/null', '-m', 'NO-SUCH-MIB', SYS]],
  ['snmptranslate', ['-Ln', '-IR', 'foo']],
];

const INPUT_OPTIONS: Case[] = [
  ['snmpget', [...V2, '-Is', '.0', '@D', `${SYS}.5`, `${SYS}.6`]],
  ['snmpget', [...V2, '-Is.0', '@D', `${SYS}.5`]],
  ['snmpget', [...V2, '-Is', '.0', '-Is', '.1', '@D', `${SYS}.5`]],
  ['snmpget', [...V2, '-IS', SYS, '@D', '.5.0']],
  ['snmpget', [...V2, '-IS1.3.6.1.2.1.1.', '@D', '5.0']],
  ['snmpget', [...V2, '-Ix', '@D', SYS_NAME]],
  ['snmptranslate', ['-Ix', SYS]],
  ['snmptranslate', ['-Ihru', SYS]],
];

const LEVELS: Case[] = [
  ['snmpget', ['-v3', '-u', NOAUTH_USER.name, '-l', 'nanp', '@D', SYS_NAME]],
  ['snmpget', ['-v3', '-u', NOAUTH_USER.name, '-l', 'NANP', '@D', SYS_NAME]],
  ['snmpget', ['-v3', '-u', NOAUTH_USER.name, '-l', 'noauth', '@D', SYS_NAME]],
  ['snmpget', ['-v3', '-u', SHA256_USER.name, '-l', 'anp', ...SHA256, '@D', SYS_NAME]],
  ['snmpget', ['-v3', '-u', SHA256_USER.name, '-l', 'Auth', ...SHA256, '@D', SYS_NAME]],
  ['snmpget', ['-v3', '-u', SHA_AES_USER.name, '-l', 'AP', ...SHA_AES, '@D', SYS_NAME]],
  ['snmpget', ['-v3', '-u', NOAUTH_USER.name, '-l', 'nap', '@D', SYS_NAME]],
  ['snmpget', ['-v3', '-u', NOAUTH_USER.name, '-l', '0', '@D', SYS_NAME]],
  ['snmpget', ['-v3', '-u', SHA256_USER.name, ...SHA256, '@D', SYS_NAME], 'defSecurityLevel anp\n'],
  ['snmpget', ['-v3', '-u', NOAUTH_USER.name, '@D', SYS_NAME], 'defSecurityLevel NaNp\n'],
  ['snmpget', ['-v3', '-u', NOAUTH_USER.name, '@D', SYS_NAME], 'defSecurityLevel noauth\n'],
  ['snmpget', ['-v3', '-u', NOAUTH_USER.name, '@D', SYS_NAME], 'defSecurityLevel 1\n'],
];

const BULK_NUMBERS: Case[] = [
  ['snmpbulkwalk', [...V2, '-Cr', '@D', SYS]],
  ['snmpbulkwalk', [...V2, '-Cr', '5', '@D', SYS]],
  ['snmpbulkwalk', [...V2, '-Crabc', '@D', SYS]],
  ['snmpbulkwalk', [...V2, '-Cnr3', '@D', SYS]],
  ['snmpbulkwalk', [...V2, '-Cr3x', '@D', SYS]],
  ['snmpbulkwalk', [...V2, '-Cr+3', '@D', `${SYS}.5`]],
  ['snmpbulkwalk', [...V2, '-Cr5', '@D', `${SYS}.5`]],
  ['snmpbulkget', [...V2, '-Cn', '@D', SYS_NAME]],
  ['snmpbulkget', [...V2, '-Cn1r2', '@D', `${SYS}.4`, `${SYS}.5`]],
  ['snmpbulkget', [...V2, '-Cra', '@D', SYS_NAME]],
  ['snmpwalk', [...V2, '-Cr', '@D', SYS]],
];

const GET3 = [...V2, '@D', SYS_NAME, `${SYS}.2.0`, `${SYS}.6.0`];
const DISPLAY_TOKENS: Case[] = [
  ['snmpget', GET3, 'quickPrinting yes\n'],
  ['snmpget', ['-Oq', ...GET3], 'quickPrinting yes\n'],
  ['snmpget', ['-Oq', ...GET3], 'quickPrinting no\n'],
  ['snmpget', GET3, 'quickPrinting TRUE\n'],
  ['snmpget', GET3, 'quickPrinting on\n'],
  ['snmpget', GET3, 'quickPrinting yes\nquickPrinting 0\n'],
  ['snmpget', GET3, 'oidOutputFormat 3\n'],
  ['snmpget', ['-On', ...GET3], 'oidOutputFormat 3\n'],
  ['snmpget', GET3, 'oidOutputFormat 4\n'],
  ['snmpget', GET3, 'oidOutputFormat 5\n'],
  ['snmpget', GET3, 'oidOutputFormat x\n'],
  ['snmpget', GET3, 'suffixPrinting 3\n'],
  ['snmpget', GET3, 'printNumericOids yes\n'],
  ['snmpget', GET3, 'printNumericOids yes\noidOutputFormat 3\n'],
  ['snmpget', ['-Of', ...GET3], 'printNumericOids 1\n'],
  ['snmpget', GET3, 'printValueOnly yes\n'],
  ['snmpget', ['-Ov', ...GET3], 'printValueOnly yes\n'],
  ['snmpget', [...V2, '@D', SYS_NAME], 'numericTimeticks yes\nprintValueOnly yes\nquickPrinting yes\n'],
  ['snmpwalk', [...V2, '@D', `${SYS}.9`], 'quickPrinting yes\noidOutputFormat 4\n'],
  ['snmptranslate', [SYS], 'oidOutputFormat 3\nfoo bar\ntimeout x\n'],
  ['snmptranslate', ['-On', SYS], 'oidOutputFormat 5\n'],
  ['snmptranslate', ['-Ln', SYS, 'foo.0'], 'printNumericOids yes\nfoo bar\n'],
  ['snmptranslate', ['-Lo', 'foo.0'], 'foo bar\n'],
];

const TABLE_COUNT: Case[] = [
  ['snmptable', [...V2, '@D']],
  ['snmptable', [...V2, '@D', '.1.3.6.1.2.1.2.2', '.1.3.6.1.2.1.2.2']],
];

const GROUPS: [title: string, cases: Case[]][] = [
  ['-L and -I with their arguments', [...LOG_OPTIONS, ...INPUT_OPTIONS]],
  ['security levels', LEVELS],
  ['-Cr and -Cn numbers', BULK_NUMBERS],
  ['snmp.conf display tokens', DISPLAY_TOKENS],
  ['snmptable needs one table', TABLE_COUNT],
];

for (const [title, cases] of GROUPS) {
  describe(`golden: ${title}`, () => {
    it.each(cases)('%s %j %j', async (tool, args, conf) => compare(tool, args, conf));
  });
}

describe('golden: -Lf FILE', () => {
  it('writes the log messages to FILE', async () => {
    await compare('snmptranslate', ['-Lf', '@FILE', 'foo.0'], '', true);
    await compare('snmptranslate', ['-LF', 'e', '@FILE', 'foo.0', SYS], '', true);
  });
});
