/**
 * -d: every message sent and received, dumped in hex as Net-SNMP's -d dumps it (xdump: decimal offsets, groups of
 * four bytes, the printable text on the right).
 */
import { type ClientTransport, openPeerTransport, resolvePeer } from '@snmpkit/session';
import { UdpTransport } from '@snmpkit/transport';
import type { Io } from './io.js';

function printable(byte: number): string {
  return byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : '.';
}

/** Net-SNMP's xdump() layout: `0016: 04 7F E2 6A  F8 02 01 00  ...    ...j....`. */
export function hexDump(bytes: Uint8Array): string {
  let text = '';
  for (let start = 0; start < bytes.length; start += 16) {
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      const b = bytes[start + i];
      hex += b === undefined ? '   ' : `${b.toString(16).toUpperCase().padStart(2, '0')} `;
      if (i % 4 === 3) hex += ' ';
      if (b !== undefined) ascii += printable(b);
    }
    text += `${String(start).padStart(4, '0')}: ${hex}  ${ascii}\n`;
  }
  return text;
}

/** The transport the peer names, wrapped so that it dumps its traffic to stderr. */
export async function dumpingTransport(peer: string, io: Io): Promise<ClientTransport> {
  const resolved = await resolvePeer(peer);
  const inner = await openPeerTransport(resolved);
  const kind = resolved.transport.startsWith('tcp') ? 'TCP' : 'UDP';
  let where = `${kind}: [${resolved.address}]:${resolved.port}`;
  if (inner instanceof UdpTransport) {
    const local = inner.localAddress();
    where += `->[${local.address}]:${local.port}`;
  }
  return {
    send(message, onSendError) {
      io.err(`\nSending ${message.length} bytes to ${where}\n${hexDump(message)}\n`);
      inner.send(message, onSendError);
    },
    onMessage(listener) {
      inner.onMessage((message, source) => {
        io.err(`\nReceived ${message.length} byte packet from ${where}\n${hexDump(message)}\n`);
        listener(message, source);
      });
    },
    close: () => inner.close(),
    onError: (listener) => inner.onError?.(listener),
  };
}
