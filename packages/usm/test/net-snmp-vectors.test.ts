import { bytesToHex } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import {
  decodeSecureMessage,
  discoveryMessage,
  EngineTimeCache,
  encodeSecureMessage,
  flagsToLevel,
  UsmError,
  UsmKeyStore,
  UsmStats,
  usmReportMessage,
  usmReportReason,
} from '../src/index.js';
import { CAPTURE_USERS, capturedV3Messages } from './fixtures.js';

const captured = capturedV3Messages();
const store = new UsmKeyStore(CAPTURE_USERS);
const byLine = (line: number) => captured.find((c) => c.line === line)!;

/** Messages the capture's users authenticated (everything but the deliberate failures at the end). */
const authenticated = captured.filter((c) => c.message.msgFlags & 0x01 && ![653, 657].includes(c.line));

describe('real Net-SNMP v3 traffic', () => {
  it('has authenticated traffic for every user of the capture, both directions', () => {
    const users = new Set(authenticated.map((c) => c.message.securityParameters.userName));
    expect([...users].sort()).toEqual(['md5Des', 'sha256Aes192', 'sha512Aes256', 'shaAes']);
    expect(authenticated.filter((c) => c.direction.startsWith('agent>')).length).toBeGreaterThan(20);
    expect(authenticated.length).toBe(58);
  });

  it.each(authenticated.map((c) => [c.line, c.direction, c.message.securityParameters.userName, c] as const))(
    'line %i (%s, %s): authenticates, decrypts, and re-encodes byte for byte',
    (_line, _dir, userName, c) => {
      const { message, level, keys } = decodeSecureMessage(c.bytes, store.resolver());
      expect(level).toBe(flagsToLevel(c.message.msgFlags));
      expect(keys?.userName).toBe(userName);
      expect(keys?.level).toBe(level);
      expect(message.encryptedPdu).toBeUndefined();
      expect(message.scopedPdu!.pdu.varbinds.length).toBeGreaterThan(0);
      // The engine ID the keys were localized to is the one inside the message.
      expect(bytesToHex(keys!.engineId)).toBe(bytesToHex(c.message.securityParameters.engineId));
      // Encrypting the plaintext again with the captured salt and signing it reproduces Net-SNMP's bytes exactly:
      // the cipher, IV, padding and MAC placement are all the same as Net-SNMP's.
      const again = encodeSecureMessage(message, keys, { salt: c.message.securityParameters.privParameters });
      expect(bytesToHex(again)).toBe(bytesToHex(c.bytes));
    },
  );

  it('reads the plaintext of an authPriv response (sysDescr from md5Des with DES)', () => {
    const { message } = decodeSecureMessage(byLine(580).bytes, store.resolver());
    const [descr] = message.scopedPdu!.pdu.varbinds;
    expect(descr!.oid).toBe('1.3.6.1.2.1.1.1.0');
    expect(descr!.value.type).toBe('OctetString');
    if (descr!.value.type === 'OctetString') expect(Buffer.from(descr!.value.value).toString()).toMatch(/^Linux /);
  });

  it('authenticates and decrypts the v3 traps, whose authoritative engine is the sender (-e 0x8000000001020304)', () => {
    for (const line of [662, 663]) {
      const { message } = decodeSecureMessage(byLine(line).bytes, store.resolver());
      expect(bytesToHex(message.securityParameters.engineId)).toBe('8000000001020304');
      expect(message.scopedPdu!.pdu.type).toBe('TrapV2');
    }
  });

  it('identifies the agent reports: discovery, unknown user, wrong digest, decryption error', () => {
    // The manager that sent as 'nobody' knows that name itself; the reports come back noAuthNoPriv under it.
    const manager = new UsmKeyStore([...CAPTURE_USERS, { name: 'nobody', level: 'noAuthNoPriv' }]);
    const reasonOf = (line: number) => {
      const { message, level } = decodeSecureMessage(byLine(line).bytes, manager.resolver());
      expect(level).toBe('noAuthNoPriv');
      return usmReportReason(message.scopedPdu!.pdu);
    };
    expect(reasonOf(556)).toBe('unknownEngineID');
    expect(reasonOf(650)).toBe('unknownUserName');
    expect(reasonOf(654)).toBe('wrongDigests');
    // Responses are not reports.
    expect(usmReportReason(decodeSecureMessage(byLine(558).bytes, manager.resolver()).message.scopedPdu!.pdu)).toBe(
      undefined,
    );
  });
});

describe('refusals on real traffic', () => {
  const reasonFor = (bytes: Uint8Array, s = store) => {
    try {
      decodeSecureMessage(bytes, s.resolver());
    } catch (error) {
      if (error instanceof UsmError) return error.reason;
      throw error;
    }
    return 'accepted';
  };

  it('a request made with a wrong authentication password (snmpget -A wrongpass123) → wrongDigests', () => {
    expect(reasonFor(byLine(653).bytes)).toBe('wrongDigests');
  });

  it('a request made with a wrong privacy password (snmpget -X wrongpriv123) → decryptionErrors', () => {
    expect(reasonFor(byLine(657).bytes)).toBe('decryptionErrors');
  });

  it('an unknown user (snmpget -u nobody) → unknownUserName', () => {
    expect(reasonFor(byLine(649).bytes)).toBe('unknownUserName');
  });

  it('our keys for a wrong password fail the same way on every captured message', () => {
    const wrongAuth = new UsmKeyStore(
      CAPTURE_USERS.map((u) => (u.authPassword ? { ...u, authPassword: 'not-the-password' } : u)),
    );
    const wrongPriv = new UsmKeyStore(
      CAPTURE_USERS.map((u) => (u.privPassword ? { ...u, privPassword: 'not-the-password' } : u)),
    );
    for (const c of authenticated) {
      expect(reasonFor(c.bytes, wrongAuth)).toBe('wrongDigests');
      expect(reasonFor(c.bytes, wrongPriv)).toBe(c.message.msgFlags & 0x02 ? 'decryptionErrors' : 'accepted');
    }
  });

  it('a user configured without privacy cannot read authPriv traffic → unsupportedSecLevel', () => {
    const authOnly = new UsmKeyStore([
      { name: 'shaAes', level: 'authNoPriv', authProtocol: 'sha', authPassword: 'authpass123' },
    ]);
    expect(reasonFor(byLine(557).bytes, authOnly)).toBe('unsupportedSecLevel');
    expect(reasonFor(byLine(562).bytes, authOnly)).toBe('accepted');
  });
});

describe('reports and discovery as snmpd sends them', () => {
  const counterOf = (line: number) => byLine(line).message.scopedPdu!.pdu.varbinds[0]!;
  const agentOf = (line: number) => {
    const sp = byLine(line).message.securityParameters;
    return { engineId: sp.engineId, engineBoots: sp.engineBoots, engineTime: sp.engineTime };
  };
  const refusal = (line: number): UsmError => {
    try {
      decodeSecureMessage(byLine(line).bytes, store.resolver(), { authoritativeEngineId: agentOf(556).engineId });
    } catch (error) {
      if (error instanceof UsmError) return error;
    }
    throw new Error(`line ${line} was not refused`);
  };

  it('discoveryMessage encodes to the probe snmpget sent, byte for byte', () => {
    const probe = byLine(555).message;
    const ours = discoveryMessage({
      msgId: probe.msgId,
      requestId: probe.scopedPdu!.pdu.type === 'GetRequest' ? probe.scopedPdu!.pdu.requestId : -1,
    });
    expect(bytesToHex(encodeSecureMessage(ours, undefined))).toBe(bytesToHex(byLine(555).bytes));
  });

  it.each([
    [555, 556, 'unknownEngineID'],
    [649, 650, 'unknownUserName'],
    [653, 654, 'wrongDigests'],
  ] as const)(
    "refusing line %i and reporting it reproduces snmpd's Report (line %i, %s)",
    (requestLine, reportLine, reason) => {
      const error = refusal(requestLine);
      expect(error.reason).toBe(reason);
      const report = usmReportMessage({
        received: error.received!,
        counter: counterOf(reportLine),
        ...agentOf(reportLine),
      });
      expect(bytesToHex(encodeSecureMessage(report, undefined))).toBe(bytesToHex(byLine(reportLine).bytes));
    },
  );

  it('a notInTimeWindow report goes authNoPriv and the manager trusts the time in it', () => {
    const agent = agentOf(556);
    const keys = store.keysFor('shaAes', agent.engineId)!;
    const stats = new UsmStats();
    const late = { ...byLine(557).message };
    const error = (() => {
      try {
        decodeSecureMessage(byLine(557).bytes, store.resolver(), { timeliness: () => false });
      } catch (e) {
        return e as UsmError;
      }
      throw new Error('accepted');
    })();
    expect(error.reason).toBe('notInTimeWindow');
    expect(error.received?.msgId).toBe(late.msgId);
    const report = usmReportMessage({
      received: error.received!,
      counter: stats.count('notInTimeWindow'),
      engineId: agent.engineId,
      engineBoots: 9,
      engineTime: 4242,
    });
    const bytes = encodeSecureMessage(report, keys.withLevel('authNoPriv'));
    const times = new EngineTimeCache();
    const decoded = decodeSecureMessage(bytes, store.resolver(), { timeliness: times.timeliness });
    expect(decoded.level).toBe('authNoPriv');
    expect(usmReportReason(decoded.message.scopedPdu!.pdu)).toBe('notInTimeWindow');
    // The request's PDU was encrypted and never decrypted: the Report's request-id is 0.
    expect(decoded.message.scopedPdu!.pdu.type === 'Report' && decoded.message.scopedPdu!.pdu.requestId).toBe(0);
    expect(times.get(agent.engineId)).toEqual({ boots: 9, time: 4242 });
  });
});
