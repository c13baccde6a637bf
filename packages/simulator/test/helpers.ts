import { type BasicPdu, decodeMessage, encodeMessage, type Pdu, type SnmpValue, type VarBind } from '@snmpkit/ber';
import type { ClientTransport } from '@snmpkit/transport';
import type { Agent } from '../src/index.js';

let nextRequestId = 1000;

export function nulls(...oids: string[]): VarBind[] {
  return oids.map((oid) => ({ oid, value: { type: 'Null' } }));
}

export function getPdu(type: 'GetRequest' | 'GetNextRequest', ...oids: string[]): Pdu {
  return { type, requestId: nextRequestId++, errorStatus: 0, errorIndex: 0, varbinds: nulls(...oids) };
}

export function bulkPdu(nonRepeaters: number, maxRepetitions: number, ...oids: string[]): Pdu {
  return { type: 'GetBulkRequest', requestId: nextRequestId++, nonRepeaters, maxRepetitions, varbinds: nulls(...oids) };
}

export function setPdu(...varbinds: [string, SnmpValue][]): Pdu {
  return {
    type: 'SetRequest',
    requestId: nextRequestId++,
    errorStatus: 0,
    errorIndex: 0,
    varbinds: varbinds.map(([oid, value]) => ({ oid, value })),
  };
}

/** Sends one v1/v2c request to the agent and decodes its Response (throws when there is none). */
export async function ask(agent: Agent, pdu: Pdu, community = 'public', version: 0 | 1 = 1): Promise<BasicPdu> {
  const reply = await agent.request(encodeMessage({ version, community, pdu }));
  if (!reply) throw new Error('no response');
  const m = decodeMessage(reply);
  if (m.version === 3 || m.pdu.type !== 'Response') throw new Error('not a Response');
  if (pdu.type !== 'TrapV1' && m.pdu.requestId !== pdu.requestId) throw new Error('wrong request-id');
  return m.pdu;
}

/** The varbinds as `oid = type:value` strings, easy to compare. */
export function show(varbinds: readonly VarBind[]): string[] {
  return varbinds.map((vb) => {
    const v = vb.value;
    const text =
      v.type === 'OctetString' || v.type === 'Opaque'
        ? Buffer.from(v.value).toString('latin1')
        : 'value' in v
          ? String(v.value)
          : '';
    return `${vb.oid} = ${v.type}${text === '' ? '' : `:${text}`}`;
  });
}

/** An in-memory sink: records what arrives, answers with `respond`'s bytes (if any). */
export function memorySink(respond: (bytes: Uint8Array) => Uint8Array | undefined = () => undefined) {
  const received: Uint8Array[] = [];
  const open = async (): Promise<ClientTransport> => {
    let listener: ((message: Uint8Array, source: { address: string; port: number }) => void) | undefined;
    return {
      send(bytes) {
        received.push(bytes);
        const reply = respond(bytes);
        if (reply) setImmediate(() => listener?.(reply, { address: 'memory', port: 162 }));
      },
      onMessage(l) {
        listener = l;
      },
      close() {},
    };
  };
  return { received, open };
}
