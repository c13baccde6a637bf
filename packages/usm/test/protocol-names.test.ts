import { describe, expect, it } from 'vitest';
import {
  AUTH_PROTOCOLS,
  authProtocolNamed,
  PRIV_PROTOCOLS,
  privProtocolNamed,
  SECURITY_LEVELS,
  securityLevelNamed,
} from '../src/index.js';

describe('protocol and level names as users write them', () => {
  it("takes this package's names and Net-SNMP's -a names, any case", () => {
    for (const name of Object.keys(AUTH_PROTOCOLS)) {
      expect(authProtocolNamed(name)).toBe(name);
      expect(authProtocolNamed(name.toUpperCase())).toBe(name);
    }
    expect(authProtocolNamed('SHA-256')).toBe('sha256');
    expect(authProtocolNamed('sha-512')).toBe('sha512');
    expect(authProtocolNamed('SHA')).toBe('sha');
    expect(authProtocolNamed('SHA1')).toBe('sha');
    expect(authProtocolNamed('MD5')).toBe('md5');
    for (const unknown of ['SHA-999', 'sha2', '', 'hasOwnProperty', 'toString']) {
      expect(authProtocolNamed(unknown)).toBeUndefined();
    }
  });

  it("takes this package's names and Net-SNMP's -x names, any case", () => {
    for (const name of Object.keys(PRIV_PROTOCOLS)) {
      expect(privProtocolNamed(name)).toBe(name);
      expect(privProtocolNamed(name.toUpperCase())).toBe(name);
    }
    expect(privProtocolNamed('AES-256-C')).toBe('aes256c');
    expect(privProtocolNamed('AES-192')).toBe('aes192');
    expect(privProtocolNamed('AES')).toBe('aes');
    expect(privProtocolNamed('AES-128')).toBe('aes');
    expect(privProtocolNamed('DES')).toBe('des');
    for (const unknown of ['AES-512', '3DES', '', 'constructor']) expect(privProtocolNamed(unknown)).toBeUndefined();
  });

  it('takes security levels in any case', () => {
    for (const level of SECURITY_LEVELS) {
      expect(securityLevelNamed(level)).toBe(level);
      expect(securityLevelNamed(level.toLowerCase())).toBe(level);
      expect(securityLevelNamed(level.toUpperCase())).toBe(level);
    }
    expect(securityLevelNamed('priv')).toBeUndefined();
    expect(securityLevelNamed('')).toBeUndefined();
  });
});
