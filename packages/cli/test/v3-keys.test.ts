/**
 * -3m/-3M (master keys) and -3k/-3K (keys localized to the agent's engine), snmpcmd(1)'s way of giving USM keys
 * instead of pass phrases: snmpget and `snmpkit get` with the same command line against the same snmpd give the
 * same output, exit code and errors. The keys are made with @snmpkit/usm's key functions from the pass phrases
 * snmpd's user was created with, and localized to the engine ID snmpd reports.
 */
import { Session, type UsmMessageProcessing } from '@snmpkit/session';
import { type SnmpdInstance, startSnmpd } from '@snmpkit/testkit';
import { localizeKey, passwordToKey } from '@snmpkit/usm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithNetSnmp } from './golden-compare.js';
import { runSnmpkit } from './run-snmpkit.js';

const AUTH_PASS = 'key-auth-pass';
const PRIV_PASS = 'key-priv-pass';
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

let snmpd: SnmpdInstance;
let peer: string;
const keys = { authMaster: '', privMaster: '', authLocalized: '', privLocalized: '' };

beforeAll(async () => {
  snmpd = await startSnmpd({
    transports: ['udp'],
    users: [
      { name: 'keyed', authProtocol: 'SHA', authPassword: AUTH_PASS, privProtocol: 'AES', privPassword: PRIV_PASS },
    ],
  });
  peer = snmpd.endpoints.udp!.replace('udp:', '');
  const session = await Session.open({
    peer: snmpd.endpoints.udp!,
    version: 3,
    user: {
      name: 'keyed',
      level: 'authPriv',
      authProtocol: 'SHA',
      authPassword: AUTH_PASS,
      privProtocol: 'AES',
      privPassword: PRIV_PASS,
    },
  });
  // The engine ID the session discovered is snmpd's: the one localized keys are made for.
  const engineId = (session.messageProcessing as UsmMessageProcessing).engineId!;
  await session.close();
  const authMaster = passwordToKey('sha', AUTH_PASS);
  const privMaster = passwordToKey('sha', PRIV_PASS);
  keys.authMaster = hex(authMaster);
  keys.privMaster = hex(privMaster);
  keys.authLocalized = hex(localizeKey('sha', authMaster, engineId));
  keys.privLocalized = hex(localizeKey('sha', privMaster, engineId));
});

afterAll(async () => {
  await snmpd?.stop();
});

const USER = ['-v3', '-u', 'keyed', '-l', 'authPriv', '-a', 'SHA', '-x', 'AES', '-On', '-r', '0'];
const SYS_NAME = '.1.3.6.1.2.1.1.5.0';

describe('-3m/-3M/-3k/-3K: keys instead of pass phrases, as snmpget takes them', () => {
  it.each([
    ['master keys', () => ['-3m', `0x${keys.authMaster}`, '-3M', `0x${keys.privMaster}`]],
    ['master keys attached, without 0x, with =', () => [`-3m${keys.authMaster}`, `-3M=${keys.privMaster}`]],
    ['localized keys', () => ['-3k', `0x${keys.authLocalized}`, '-3K', keys.privLocalized]],
    ['a localized key wins over a wrong -A', () => ['-A', 'wrong-pass-1', '-3k', keys.authLocalized, '-X', PRIV_PASS]],
    ['-A wins over a wrong master key', () => ['-A', AUTH_PASS, '-3m', `0x${'00'.repeat(20)}`, '-3M', keys.privMaster]],
    ['a longer master key is cut to the hash length', () => ['-3m', `${keys.authMaster}ff`, '-3M', keys.privMaster]],
    [
      'the -3 forms of -u/-l/-a/-A/-x/-X',
      () => ['-3u', 'keyed', '-3l', 'authPriv', '-3a', 'SHA', '-3A', AUTH_PASS, '-3xAES', `-3X=${PRIV_PASS}`],
    ],
  ])('%s: the same answer', async (_, extra) => {
    await compareWithNetSnmp('snmpget', [...USER, ...extra(), peer, SYS_NAME]);
  });

  it.each([
    ['a key that is not hex', ['-3m', '0xZZ']],
    ['an odd number of hex digits', ['-3K', 'abc']],
    ['an unknown -3 letter', ['-3q', '00']],
  ])('%s: the same usage error', async (_, extra) => {
    await compareWithNetSnmp('snmpget', [...USER, ...extra, peer, SYS_NAME]);
  });

  it('the missing argument after -3m: the same usage error', async () => {
    await compareWithNetSnmp('snmpget', [...USER, peer, SYS_NAME, '-3m']);
  });

  it('a master key too short for its protocol: exit 1 with the reason (snmpget prints an empty one), no key', async () => {
    const short = '0a1b2c3d';
    const ours = await runSnmpkit(['get', ...USER, '-3m', short, '-3M', keys.privMaster, peer, SYS_NAME]);
    expect(ours.exitCode).toBe(1);
    expect(ours.stderr).toMatch(/authKey \(master\) needs at least 20 bytes, got 4/);
    expect(ours.stderr + ours.stdout).not.toContain(short);
    expect(ours.stderr + ours.stdout).not.toContain(keys.privMaster);
  });
});
