import {
  DEFAULT_PORT,
  openClientTransport,
  type ParsedEndpoint,
  parseEndpoint,
  type ResolvedEndpoint,
  resolveEndpoint,
  type TcpClientOptions,
  type TcpTransport,
  type TransportKind,
  type UdpTransport,
} from '@snmpkit/transport';
import { generalErrorOf } from './errors.js';

// The grammar and resolution are @snmpkit/transport's; the session's API throws its own GeneralError.
export { DEFAULT_PORT, type TransportKind };
/** A peer name split into its parts, before name resolution. */
export type ParsedPeer = ParsedEndpoint;
/** A peer ready to be used: the transport, the resolved address and the port. */
export type ResolvedPeer = ResolvedEndpoint;

/**
 * Splits a peer name in Net-SNMP's grammar (`[transport:]host[:port]`: see @snmpkit/transport's parseEndpoint).
 * Throws GeneralError SNMPERR_BAD_ADDRESS on a malformed or unsupported name.
 */
export function parsePeer(peer: string, defaultPort = DEFAULT_PORT, minPort = 0): ParsedPeer {
  try {
    return parseEndpoint(peer, defaultPort, minPort);
  } catch (error) {
    throw generalErrorOf(error);
  }
}

/**
 * Parses and resolves a peer name (IPv4 first for names without a prefix, then IPv6). Port 0 is a port as Net-SNMP
 * reads it: a request to it fails when it is sent (snmpget's "Failure in sendto (Invalid argument)"); `minPort` 1
 * refuses it. Throws GeneralError SNMPERR_BAD_ADDRESS.
 */
export async function resolvePeer(peer: string, defaultPort = DEFAULT_PORT, minPort = 0): Promise<ResolvedPeer> {
  try {
    return await resolveEndpoint(peer, defaultPort, minPort);
  } catch (error) {
    throw generalErrorOf(error);
  }
}

/**
 * Opens the transport a resolved peer names (TCP, connected, for tcp/tcp6; UDP otherwise): the one Session.open
 * opens, for callers that wrap it (the CLI's -d dump). Throws GeneralError (SNMPERR_BAD_LOCPORT, SNMPERR_BAD_ADDRESS).
 */
export async function openPeerTransport(
  peer: ResolvedPeer,
  options: TcpClientOptions = {},
): Promise<UdpTransport | TcpTransport> {
  try {
    return await openClientTransport(peer, options);
  } catch (error) {
    throw generalErrorOf(error);
  }
}
