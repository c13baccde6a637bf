import { readFileSync } from 'node:fs';
import { decodeMessage, hexToBytes, type V3Message } from '@snmpkit/ber';
import type { UsmUser } from '../src/index.js';

export interface CapturedV3 {
  /** 1-based line in net-snmp-vectors.txt. */
  line: number;
  /** "agent>12345", "12345>agent", "12345>trapd". */
  direction: string;
  bytes: Uint8Array;
  message: V3Message;
}

/** The v3 messages of the real Net-SNMP capture that @snmpkit/ber's tests use (packages/ber/scripts). */
export function capturedV3Messages(): CapturedV3[] {
  const url = new URL('../../ber/test/fixtures/net-snmp-vectors.txt', import.meta.url);
  const result: CapturedV3[] = [];
  readFileSync(url, 'utf8')
    .trim()
    .split('\n')
    .forEach((text, index) => {
      const [direction, hex] = text.split(' ') as [string, string];
      const bytes = hexToBytes(hex);
      const message = decodeMessage(bytes);
      if (message.version === 3) result.push({ line: index + 1, direction, bytes, message });
    });
  return result;
}

/** The users of the capture script (createUser lines in packages/ber/scripts/capture-vectors.sh). */
export const CAPTURE_USERS: UsmUser[] = [
  { name: 'shaAes', level: 'authPriv', authProtocol: 'sha', privProtocol: 'aes' },
  { name: 'md5Des', level: 'authPriv', authProtocol: 'md5', privProtocol: 'des' },
  { name: 'sha512Aes256', level: 'authPriv', authProtocol: 'sha512', privProtocol: 'aes256' },
  { name: 'sha256Aes192', level: 'authPriv', authProtocol: 'sha256', privProtocol: 'aes192' },
  { name: 'noAuth', level: 'noAuthNoPriv' },
].map((user) => ({
  ...user,
  ...(user.authProtocol ? { authPassword: 'authpass123', privPassword: 'privpass123' } : {}),
})) as UsmUser[];
