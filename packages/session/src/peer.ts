import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { GeneralError, systemGeneralError } from './errors.js';

export type TransportKind = 'udp' | 'udp6' | 'tcp' | 'tcp6';

/** A peer name split into its parts, before name resolution. */
export interface ParsedPeer {
  /** The transport; undefined when the name had no prefix (UDP, over IPv6 for an IPv6 literal). */
  transport: TransportKind | undefined;
  host: string;
  port: number;
}

/** A peer ready to be used: the transport, the resolved address and the port. */
export interface ResolvedPeer {
  transport: TransportKind;
  address: string;
  port: number;
  /** The name as the caller gave it, for messages ("Timeout: No Response from udp:host:161."). */
  name: string;
}

export const DEFAULT_PORT = 161;

// Net-SNMP's domain names and their aliases (snmpUDPDomain.c, snmpUDPIPv6Domain.c, snmpTCPDomain.c, ...).
const PREFIXES: Record<string, TransportKind> = {
  udp: 'udp',
  udpv4: 'udp',
  udpipv4: 'udp',
  udp6: 'udp6',
  udpv6: 'udp6',
  udpipv6: 'udp6',
  tcp: 'tcp',
  tcpv4: 'tcp',
  tcpipv4: 'tcp',
  tcp6: 'tcp6',
  tcpv6: 'tcp6',
  tcpipv6: 'tcp6',
  // Net-SNMP's other name for UDP over IPv6 (`ipv6:[::1]:161`).
  ipv6: 'udp6',
};

function badAddress(peer: string, why: string): GeneralError {
  return new GeneralError('SNMPERR_BAD_ADDRESS', { detail: `${peer}: ${why}` });
}

function parsePort(text: string, peer: string, minPort: number): number {
  if (!/^\d{1,5}$/.test(text)) throw badAddress(peer, `"${text}" is not a port number`);
  const port = Number(text);
  if (port < minPort || port > 65535) throw badAddress(peer, `port ${port} is out of range ${minPort}..65535`);
  return port;
}

/**
 * Splits a peer name in Net-SNMP's grammar: `[transport:]host[:port]`, transport one of udp, udp6, tcp, tcp6 (and
 * Net-SNMP's aliases udpv6, udpipv6, ipv6, tcpv6, tcpipv6, case-insensitive), IPv6 addresses in brackets when a
 * port follows (`udp6:[::1]:1161`, `[fe80::1]`), or bare (`udp6:::1`, then without a port); IPv4 addresses may be
 * bracketed too (`[127.0.0.1]:1161`). Default port 161.
 * Throws GeneralError SNMPERR_BAD_ADDRESS on a malformed name.
 */
export function parsePeer(peer: string, defaultPort = DEFAULT_PORT, minPort = 0): ParsedPeer {
  let rest = peer.trim();
  let transport: TransportKind | undefined;
  const colon = rest.indexOf(':');
  if (colon > 0) {
    const prefix = PREFIXES[rest.slice(0, colon).toLowerCase()];
    if (prefix) {
      transport = prefix;
      rest = rest.slice(colon + 1);
    }
  }
  if (rest === '') throw badAddress(peer, 'no host');
  let host: string;
  let port = defaultPort;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw badAddress(peer, 'unclosed "["');
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) throw badAddress(peer, `unexpected "${after}" after "]"`);
      port = parsePort(after.slice(1), peer, minPort);
    }
    // Brackets hold an address literal, IPv4 too (`[127.0.0.1]:161`, `udp:[127.0.0.1]:161`), as in Net-SNMP.
    const family = isIP(host);
    if (family === 0) throw badAddress(peer, `"${host}" is not an IP address`);
    if (family === 6) transport ??= 'udp6';
  } else if (rest.indexOf(':') !== rest.lastIndexOf(':')) {
    // Several colons and no brackets: a bare IPv6 address, which cannot carry a port.
    if (isIP(rest) !== 6) throw badAddress(peer, `"${rest}" is not an IPv6 address (use [addr]:port)`);
    host = rest;
    transport ??= 'udp6';
  } else {
    const c = rest.indexOf(':');
    host = c < 0 ? rest : rest.slice(0, c);
    if (c >= 0) port = parsePort(rest.slice(c + 1), peer, minPort);
    if (host === '') throw badAddress(peer, 'no host');
  }
  if ((transport === 'udp' || transport === 'tcp') && isIP(host) === 6) {
    throw badAddress(peer, `${transport} is IPv4; use ${transport}6 for "${host}"`);
  }
  return { transport, host, port };
}

/**
 * The canonical text of an IPv6 address (`0:0:0:0:0:0:0:1` → `::1`), as the socket will report replies' sources:
 * the session compares the two to drop replies from elsewhere. Addresses with a zone index are kept as given.
 */
function canonicalIpv6(address: string): string {
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
}

/**
 * Parses and resolves a peer name (IPv4 first for names without a prefix, then IPv6). Port 0 is a port as Net-SNMP
 * reads it: a local endpoint to listen on gets one from the system, and a request to it fails when it is sent
 * (snmpget's "Failure in sendto (Invalid argument)"); `minPort` 1 refuses it.
 */
export async function resolvePeer(peer: string, defaultPort = DEFAULT_PORT, minPort = 0): Promise<ResolvedPeer> {
  const parsed = parsePeer(peer, defaultPort, minPort);
  const family = parsed.transport === 'udp6' || parsed.transport === 'tcp6' ? 6 : 4;
  const literal = isIP(parsed.host);
  if (literal !== 0) {
    if (literal !== family) {
      throw badAddress(peer, `${parsed.host} is not an IPv${family} address`);
    }
    const address = literal === 6 ? canonicalIpv6(parsed.host) : parsed.host;
    return { transport: parsed.transport ?? 'udp', address, port: parsed.port, name: peer };
  }
  try {
    const { address } = await lookup(parsed.host, { family });
    return { transport: parsed.transport ?? 'udp', address, port: parsed.port, name: peer };
  } catch (error) {
    if (parsed.transport === undefined) {
      // Net-SNMP tries udp, then udp6, for a name given without a transport.
      try {
        const { address } = await lookup(parsed.host, { family: 6 });
        return { transport: 'udp6', address, port: parsed.port, name: peer };
      } catch {}
    }
    throw systemGeneralError('SNMPERR_BAD_ADDRESS', error, peer);
  }
}
