import { runNetSnmp } from '@snmpkit/testkit';
import { describe, expect, it } from 'vitest';
import { agentUserFromSpec, Device, startSimulator } from '../src/index.js';

// Option names as the rest of snmpkit spells them, and errors that say what went wrong and where. (record's own
// options went with its client: `snmpkit record` walks with the session, whose options tests cover them.)

describe('startSimulator users', () => {
  it('are read-only by default, as AgentUser is and snmpd rouser; rwUsers may SET', async () => {
    expect(agentUserFromSpec('guest')).toEqual({ name: 'guest', level: 'noAuthNoPriv', access: 'ro' });
    const sim = await startSimulator({
      data: Device.fromSnmprec('1.3.6.1.2.1.1.5.0|4:writecache|value=r1\n'),
      listen: ['udp:127.0.0.1:0'],
      users: ['reader'],
      rwUsers: ['writer'],
    });
    try {
      const set = (user: string) =>
        runNetSnmp('snmpset', [
          '-v3',
          '-l',
          'noAuthNoPriv',
          '-u',
          user,
          '-r',
          '0',
          sim.endpoints[0]!,
          '1.3.6.1.2.1.1.5.0',
          's',
          `by ${user}`,
        ]);
      const refused = await set('reader');
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stderr).toMatch(/noAccess/);
      const written = await set('writer');
      expect(written.exitCode, written.stderr).toBe(0);
      expect(sim.agent.device()?.get('1.3.6.1.2.1.1.5.0')).toEqual({
        type: 'OctetString',
        value: new TextEncoder().encode('by writer'),
      });
    } finally {
      await sim.close();
    }
  });
});
