/**
 * `npm start` at the root: the main job on the embedded default. Until the simulator and the CLI land, it shows the
 * codec: a GetRequest as Net-SNMP's snmpget sends it, and the Response an agent sends back, decoded.
 */
import { bytesToHex, bytesToText, decodeMessage, encodeMessage, SnmpValue } from '@snmpkit/ber';

const request = encodeMessage({
  version: 1,
  community: 'public',
  pdu: {
    type: 'GetRequest',
    requestId: 1,
    errorStatus: 0,
    errorIndex: 0,
    varbinds: [{ oid: '1.3.6.1.2.1.1.1.0', value: SnmpValue.null() }],
  },
});
console.log(`GetRequest sysDescr.0, v2c, community public: ${bytesToHex(request, ' ')}`);
const response = encodeMessage({
  version: 1,
  community: 'public',
  pdu: {
    type: 'Response',
    requestId: 1,
    errorStatus: 0,
    errorIndex: 0,
    varbinds: [
      { oid: '1.3.6.1.2.1.1.1.0', value: SnmpValue.octetString('snmpkit demo device') },
      { oid: '1.3.6.1.2.1.31.1.1.1.6.1', value: SnmpValue.counter64(18446744073709551615n) },
    ],
  },
});
const decoded = decodeMessage(response);
if (decoded.version !== 3) {
  for (const vb of decoded.pdu.varbinds) {
    const v = vb.value;
    const shown = v.type === 'OctetString' ? `"${bytesToText(v.value)}"` : 'value' in v ? String(v.value) : '';
    console.log(`.${vb.oid} = ${v.type}: ${shown}`);
  }
}
