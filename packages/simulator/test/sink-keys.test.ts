import { snmpkitUser, testUser } from '@snmpkit/testkit';
import { decodeSecureMessage, UsmKeyStore, type UsmUser } from '@snmpkit/usm';
import { describe, expect, it, vi } from 'vitest';
import { Agent, Device, NotificationOriginator, TRAP_OIDS, VirtualClock } from '../src/index.js';
import { memorySink } from './helpers.js';

// Counts the users added to key stores (each addition hashes the user's passwords: 1 MB of digest per password).
const built = vi.hoisted(() => ({ count: 0 }));
vi.mock('@snmpkit/usm', async (importOriginal) => {
  const usm = await importOriginal<typeof import('@snmpkit/usm')>();
  class CountedKeyStore extends usm.UsmKeyStore {
    override addUser(...args: Parameters<InstanceType<typeof usm.UsmKeyStore>['addUser']>) {
      built.count++;
      return super.addUser(...args);
    }
  }
  return { ...usm, UsmKeyStore: CountedKeyStore };
});

const USER: UsmUser = snmpkitUser(testUser('SHA-256', 'AES'));

function deviceWithSink(k: number, user: UsmUser) {
  const engineId = Uint8Array.from([0x80, 0, 0x1f, 0x88, 4, 0x6c, 0x61, 0x62, k]);
  const agent = new Agent({ device: new Device(), clock: new VirtualClock(), engineId });
  const sink = memorySink();
  const originator = NotificationOriginator.forAgent(agent, [{ target: 'h', version: '3', user }], {
    openTransport: sink.open,
  });
  return { engineId, sink, originator };
}

describe('v3 sinks of many devices', () => {
  it("hash a shared user's passwords once, and still localize the keys to each device's engine", async () => {
    const before = built.count;
    const devices = Array.from({ length: 40 }, (_, k) => deviceWithSink(k, USER));
    expect(built.count - before).toBe(1);
    const receiver = new UsmKeyStore([USER]).resolver();
    for (const { engineId, sink, originator } of devices) {
      await originator.notify({ trapOid: TRAP_OIDS.coldStart });
      const decoded = decodeSecureMessage(sink.received[0]!, receiver);
      expect(decoded.level).toBe('authPriv');
      expect(decoded.message.securityParameters.engineId).toEqual(engineId);
    }
  });

  it('a user object changed since (another password) gets keys of its own', async () => {
    const user: UsmUser = { ...USER };
    deviceWithSink(1, user);
    const before = built.count;
    user.authPassword = 'another password 1';
    const { sink, originator } = deviceWithSink(2, user);
    expect(built.count - before).toBe(1);
    await originator.notify({ trapOid: TRAP_OIDS.coldStart });
    expect(() => decodeSecureMessage(sink.received[0]!, new UsmKeyStore([USER]).resolver())).toThrow();
    const decoded = decodeSecureMessage(sink.received[0]!, new UsmKeyStore([user]).resolver());
    expect(decoded.level).toBe('authPriv');
  });
});
