import { decodeMessage, encodeMessage } from '@snmpkit/ber';
import { openClientTransport, resolveEndpoint } from '@snmpkit/transport';
import { getPdu } from './helpers.js';

/** A small device with what the lab rewrites per device: sysName, MACs, a serial number, an IP row, its engine. */
export const TEMPLATE = `1.3.6.1.2.1.1.1.0|4|Lab router
1.3.6.1.2.1.1.3.0|67|100
1.3.6.1.2.1.1.5.0|4|router
1.3.6.1.2.1.1.6.0|4:writecache|value=rack
1.3.6.1.2.1.2.1.0|2|2
1.3.6.1.2.1.2.2.1.1.1|2|1
1.3.6.1.2.1.2.2.1.1.2|2|2
1.3.6.1.2.1.2.2.1.6.1|4|
1.3.6.1.2.1.2.2.1.6.2|4x|005056aabbcc
1.3.6.1.2.1.2.2.1.7.1|2|1
1.3.6.1.2.1.2.2.1.7.2|2|1
1.3.6.1.2.1.2.2.1.8.1|2|1
1.3.6.1.2.1.2.2.1.8.2|2|1
1.3.6.1.2.1.2.2.1.9.1|67|0
1.3.6.1.2.1.2.2.1.9.2|67|0
1.3.6.1.2.1.2.2.1.10.1|65|1000
1.3.6.1.2.1.2.2.1.10.2|65|2000
1.3.6.1.2.1.4.20.1.1.10.0.0.1|64|10.0.0.1
1.3.6.1.2.1.4.20.1.1.127.0.0.1|64|127.0.0.1
1.3.6.1.2.1.4.20.1.2.10.0.0.1|2|2
1.3.6.1.2.1.4.20.1.2.127.0.0.1|2|1
1.3.6.1.2.1.47.1.1.1.1.11.1|4|FOC1234
1.3.6.1.2.1.47.1.1.1.1.11.2|4|
1.3.6.1.6.3.10.2.1.1.0|4x|80001f8803000000000000
1.3.6.1.6.3.10.2.1.2.0|2|9
`;

/**
 * GET of sysName.0 from one endpoint through @snmpkit/transport's client. Connected: a reply from any other address
 * than the device's is not seen.
 */
export async function sysName(endpoint: string): Promise<string> {
  const transport = await openClientTransport(await resolveEndpoint(endpoint));
  try {
    const reply = await new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer from ${endpoint}`)), 10_000);
      transport.onMessage((message) => {
        clearTimeout(timer);
        resolve(message);
      });
      transport.send(
        encodeMessage({ version: 1, community: 'public', pdu: getPdu('GetRequest', '1.3.6.1.2.1.1.5.0') }),
      );
    });
    const m = decodeMessage(reply);
    if (m.version === 3) throw new Error('v3 reply');
    const value = m.pdu.varbinds[0]!.value;
    return value.type === 'OctetString' ? Buffer.from(value.value).toString('latin1') : value.type;
  } finally {
    transport.close();
  }
}
