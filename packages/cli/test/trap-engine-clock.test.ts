/**
 * snmptrap's -Z BOOTS,TIME: the engine boots and time a v3 trap carries. The trap is caught as bytes and its
 * security parameters decoded; the refusals are snmptrap's own, compared with the real tool.
 */
import { createSocket } from 'node:dgram';
import { decodeMessage } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import { compareWithNetSnmp } from './golden-compare.js';
import { runSnmpkit } from './run-snmpkit.js';

const USER = ['-v3', '-u', 'ops', '-l', 'noAuthNoPriv', '-e', '80001f8803aabbccddeeff'];
const COLD_START = ['', '1.3.6.1.6.3.1.1.5.1'];

/** Sends `snmpkit trap ARGS` to a socket of ours and returns the datagram it got. */
async function catchTrap(args: string[]): Promise<Uint8Array> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  try {
    const received = new Promise<Uint8Array>((resolve) => socket.once('message', (m) => resolve(m)));
    const sent = await runSnmpkit(['trap', ...args, `udp:127.0.0.1:${socket.address().port}`, ...COLD_START]);
    expect(sent.stderr).toBe('');
    return await received;
  } finally {
    socket.close();
  }
}

describe('trap -Z BOOTS,TIME', () => {
  it('sends the boots and time given', async () => {
    const message = decodeMessage(await catchTrap([...USER, '-Z', '5,99999999']));
    expect(message.version).toBe(3);
    if (message.version !== 3) return;
    expect(message.securityParameters.engineBoots).toBe(5);
    expect(message.securityParameters.engineTime).toBe(99999999);
  });

  it.each([['7'], ['x,1'], ['5,x']])('refuses -Z %s as snmptrap does', async (value) => {
    await compareWithNetSnmp('snmptrap', [...USER, '-Z', value, 'udp:127.0.0.1:9', ...COLD_START]);
  });
});
