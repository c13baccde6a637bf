import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { TransportError } from './errors.js';

export type TransportKind = 'udp' | 'udp6' | 'tcp' | 'tcp6';

/** An endpoint name split into its parts, before name resolution. */
export interface ParsedEndpoint {
  /** The transport; undefined when the name had no prefix (UDP, over IPv6 for an IPv6 literal). */
  transport: TransportKind | undefined;
  host: string;
  port: number;
}

/** An endpoint ready to be used: the transport, the resolved address and the port. */
export interface ResolvedEndpoint {
  transport: TransportKind;
  address: string;
  port: number;
  /** The name as the caller gave it, for messages ("Timeout: No Response from udp:host:161."). */
  name: string;
}

/** SNMP's agent port (RFC 3417). Notification receivers listen on 162. */
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

// Net-SNMP's other transport domains (snmp_transport.c's registrations): names snmpget knows, and snmpkit does not
// speak. Said so plainly, rather than read as a host name ("dtls" with a port "127.0.0.1:161").
const UNSUPPORTED: Record<string, string> = {
  dtls: 'DTLS over UDP (RFC 6353)',
  dtlsudp: 'DTLS over UDP (RFC 6353)',
  tls: 'TLS over TCP (RFC 6353)',
  tlstcp: 'TLS over TCP (RFC 6353)',
  ssh: 'SSH (RFC 5592)',
  unix: 'Unix domain sockets',
  ipx: 'IPX',
  aal5pvc: 'AAL5 PVC',
  pvc: 'AAL5 PVC',
  callback: "Net-SNMP's in-process callback",
  alias: "snmp.conf's transport aliases",
  dtlssctp: 'DTLS over SCTP',
  sctp: 'SCTP',
};

function badAddress(endpoint: string, why: string): TransportError {
  return new TransportError('address', { detail: `${endpoint}: ${why}` });
}

function parsePort(text: string, endpoint: string, minPort: number): number {
  if (!/^\d{1,5}$/.test(text)) throw badAddress(endpoint, `"${text}" is not a port number`);
  const port = Number(text);
  if (port < minPort || port > 65535) throw badAddress(endpoint, `port ${port} is out of range ${minPort}..65535`);
  return port;
}

/**
 * Splits an endpoint in Net-SNMP's grammar: `[transport:]host[:port]`, transport one of udp, udp6, tcp, tcp6 (and
 * Net-SNMP's aliases udpv6, udpipv6, ipv6, tcpv6, tcpipv6, case-insensitive), IPv6 addresses in brackets when a
 * port follows (`udp6:[::1]:1161`, `[fe80::1]`), or bare (`udp6:::1`, then without a port); IPv4 addresses may be
 * bracketed too (`[127.0.0.1]:1161`). Default port 161 (`defaultPort`).
 *
 * Port 0 is a port, as Net-SNMP reads it: a listener gets one from the system, and a request to it fails when sent
 * (snmpget's "Failure in sendto (Invalid argument)", or "Connection refused" over TCP); `minPort` 1 refuses it here.
 * Net-SNMP's other domains (`dtls:`, `tls:`, `ssh:`, `unix:`, `ipx:`, ...) are refused as not supported.
 * Throws TransportError (failure 'address') naming what is wrong.
 */
export function parseEndpoint(endpoint: string, defaultPort = DEFAULT_PORT, minPort = 0): ParsedEndpoint {
  let rest = endpoint.trim();
  let transport: TransportKind | undefined;
  const colon = rest.indexOf(':');
  if (colon > 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    const known = PREFIXES[prefix];
    if (known) {
      transport = known;
      rest = rest.slice(colon + 1);
    } else if (Object.hasOwn(UNSUPPORTED, prefix)) {
      throw badAddress(
        endpoint,
        `the ${prefix} transport (${UNSUPPORTED[prefix]}) is not supported: use udp, udp6, tcp or tcp6`,
      );
    }
  }
  if (rest === '') throw badAddress(endpoint, 'no host');
  let host: string;
  let port = defaultPort;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw badAddress(endpoint, 'unclosed "["');
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) throw badAddress(endpoint, `unexpected "${after}" after "]"`);
      port = parsePort(after.slice(1), endpoint, minPort);
    }
    // Brackets hold an address literal, IPv4 too (`[127.0.0.1]:161`, `udp:[127.0.0.1]:161`), as in Net-SNMP.
    const family = isIP(host);
    if (family === 0) throw badAddress(endpoint, `"${host}" is not an IP address`);
    if (family === 6) transport ??= 'udp6';
  } else if (rest.indexOf(':') !== rest.lastIndexOf(':')) {
    // Several colons and no brackets: a bare IPv6 address, which cannot carry a port.
    if (isIP(rest) !== 6) {
      // A word before the first colon that cannot start an IPv6 address was meant as a transport.
      const word = rest.slice(0, rest.indexOf(':'));
      const notTransport =
        transport === undefined && /^[a-z][a-z0-9]*$/i.test(word) && !/^[0-9a-f]{1,4}$/i.test(word)
          ? `, and "${word}" is not a transport (udp, udp6, tcp, tcp6)`
          : '';
      throw badAddress(endpoint, `"${rest}" is not an IPv6 address (use [addr]:port)${notTransport}`);
    }
    host = rest;
    transport ??= 'udp6';
  } else {
    const c = rest.indexOf(':');
    host = c < 0 ? rest : rest.slice(0, c);
    if (c >= 0) port = parsePort(rest.slice(c + 1), endpoint, minPort);
    if (host === '') throw badAddress(endpoint, 'no host');
  }
  if ((transport === 'udp' || transport === 'tcp') && isIP(host) === 6) {
    throw badAddress(endpoint, `${transport} is IPv4; use ${transport}6 for "${host}"`);
  }
  return { transport, host, port };
}

/**
 * The canonical text of an IPv6 address (`0:0:0:0:0:0:0:1` → `::1`), as a socket reports replies' sources: the
 * session compares the two to drop replies from elsewhere. Addresses with a zone index are kept as given.
 */
function canonicalIpv6(address: string): string {
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
}

/**
 * Parses and resolves an endpoint (IPv4 first for names without a prefix, then IPv6, as Net-SNMP tries udp then
 * udp6). See parseEndpoint for the grammar. Throws TransportError (failure 'address').
 */
export async function resolveEndpoint(
  endpoint: string,
  defaultPort = DEFAULT_PORT,
  minPort = 0,
): Promise<ResolvedEndpoint> {
  const parsed = parseEndpoint(endpoint, defaultPort, minPort);
  const family = parsed.transport === 'udp6' || parsed.transport === 'tcp6' ? 6 : 4;
  const literal = isIP(parsed.host);
  if (literal !== 0) {
    if (literal !== family) throw badAddress(endpoint, `${parsed.host} is not an IPv${family} address`);
    const address = literal === 6 ? canonicalIpv6(parsed.host) : parsed.host;
    return { transport: parsed.transport ?? 'udp', address, port: parsed.port, name: endpoint };
  }
  try {
    const { address } = await lookup(parsed.host, { family });
    return { transport: parsed.transport ?? 'udp', address, port: parsed.port, name: endpoint };
  } catch (error) {
    if (parsed.transport === undefined) {
      try {
        const { address } = await lookup(parsed.host, { family: 6 });
        return { transport: 'udp6', address, port: parsed.port, name: endpoint };
      } catch {}
    }
    throw new TransportError('address', { detail: endpoint, cause: error });
  }
}

/** An endpoint in Net-SNMP's form, IPv6 addresses in brackets: `udp:127.0.0.1:161`, `tcp6:[::1]:1161`. */
export function formatEndpoint(endpoint: { transport: TransportKind; address: string; port: number }): string {
  const { transport, address, port } = endpoint;
  return `${transport}:${address.includes(':') ? `[${address}]` : address}:${port}`;
}
