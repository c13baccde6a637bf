/**
 * Child process of notifications.bench.ts: sends COUNT copies of one pre-encoded v2c trap to 127.0.0.1:PORT at
 * RATE per second (paced every millisecond), then exits. A separate process, so that sending takes nothing from
 * the receiver under test. Usage: tsx trap-sender.ts PORT RATE COUNT
 */
import dgram from 'node:dgram';
import { encodeMessage, SnmpValue } from '@snmpkit/ber';

const [port, rate, count] = process.argv.slice(2).map(Number) as [number, number, number];
const trap = Buffer.from(
  encodeMessage({
    version: 1,
    community: 'public',
    pdu: {
      type: 'TrapV2',
      requestId: 1,
      errorStatus: 0,
      errorIndex: 0,
      varbinds: [
        { oid: '1.3.6.1.2.1.1.3.0', value: SnmpValue.timeTicks(123456) },
        { oid: '1.3.6.1.6.3.1.1.4.1.0', value: SnmpValue.objectIdentifier('1.3.6.1.6.3.1.1.5.3') },
        { oid: '1.3.6.1.2.1.2.2.1.1.2', value: SnmpValue.integer(2) },
        { oid: '1.3.6.1.2.1.2.2.1.7.2', value: SnmpValue.integer(1) },
        { oid: '1.3.6.1.2.1.2.2.1.8.2', value: SnmpValue.integer(2) },
      ],
    },
  }),
);
const socket = dgram.createSocket('udp4');
socket.connect(port, '127.0.0.1', () => {
  const start = performance.now();
  let sent = 0;
  const tick = () => {
    const due = Math.min(count, Math.floor(((performance.now() - start) * rate) / 1000));
    while (sent < due) {
      socket.send(trap);
      sent++;
    }
    if (sent < count) setImmediate(tick);
    else setTimeout(() => socket.close(), 50);
  };
  tick();
});
