import dgram from 'node:dgram';
import net from 'node:net';
import {
  type BasicPdu,
  type CommunityMessage,
  decodeMessage,
  encodeMessage,
  type TrapV1Pdu,
  type VarBind,
} from '@snmpkit/ber';
import { systemGeneralError } from './errors.js';
import { type ResolvedPeer, resolvePeer, type TransportKind } from './peer.js';
import { BerStreamFramer, type MessageSource } from './transports.js';

/** The default port of notification receivers (snmptrapd's). */
export const NOTIFICATION_PORT = 162;

/** sysUpTime.0 and snmpTrapOID.0: the first two varbinds of every SNMPv2 notification (RFC 3416 §4.2.6). */
export const SYS_UP_TIME_0 = '1.3.6.1.2.1.1.3.0';
export const SNMP_TRAP_OID_0 = '1.3.6.1.6.3.1.1.4.1.0';

/** A notification as it arrived. */
export interface Notification {
  /** The wire version: 0 (v1) or 1 (v2c). */
  version: 0 | 1;
  community: string;
  /** TrapV1 (v1), TrapV2 or InformRequest (v2c). */
  pdu: TrapV1Pdu | (BasicPdu & { type: 'TrapV2' | 'InformRequest' });
  /** For v2c notifications: the value of snmpTrapOID.0 (the notification's identity), when present. */
  trapOid: string | undefined;
  /** Where it came from, and on which of the receiver's endpoints. */
  source: MessageSource;
  endpoint: string;
}

export interface NotificationReceiverOptions {
  /** Endpoints in Net-SNMP's grammar (`udp:127.0.0.1:162`, `udp6:[::1]:0`, `tcp:0.0.0.0:1162`); port 0 picks one. */
  listen: string | readonly string[];
  /** Communities accepted; others are dropped and counted. Default: any. */
  communities?: readonly string[];
  onNotification: (notification: Notification) => void;
}

export interface NotificationReceiverStats {
  received: number;
  /** Responses sent to InformRequests. */
  acknowledged: number;
  droppedUndecodable: number;
  droppedCommunity: number;
  /** Decoded, but no v1/v2c notification (a request PDU, a v3 message). */
  droppedUnexpected: number;
}

/** An endpoint a receiver listens on, with the port the system picked for port 0. */
export interface BoundEndpoint {
  transport: TransportKind;
  address: string;
  port: number;
  /** Net-SNMP's form: `udp:127.0.0.1:40162`, `udp6:[::1]:40162`. */
  endpoint: string;
}

function formatEndpoint(transport: TransportKind, address: string, port: number): string {
  return `${transport}:${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/**
 * Receives v1/v2c notifications (traps and informs) on UDP and TCP endpoints: what snmptrapd does, as a library.
 * InformRequests are acknowledged with a Response carrying the same request-id and varbinds (RFC 3416 §4.2.7).
 */
export class NotificationReceiver {
  readonly stats: NotificationReceiverStats = {
    received: 0,
    acknowledged: 0,
    droppedUndecodable: 0,
    droppedCommunity: 0,
    droppedUnexpected: 0,
  };
  readonly endpoints: BoundEndpoint[] = [];
  private readonly closers: (() => Promise<void>)[] = [];

  private constructor(private readonly options: NotificationReceiverOptions) {}

  static async listen(options: NotificationReceiverOptions): Promise<NotificationReceiver> {
    const receiver = new NotificationReceiver(options);
    const endpoints = typeof options.listen === 'string' ? [options.listen] : options.listen;
    try {
      for (const endpoint of endpoints) {
        const peer = await resolvePeer(endpoint, NOTIFICATION_PORT, 0);
        if (peer.transport === 'tcp' || peer.transport === 'tcp6') await receiver.listenTcp(peer);
        else await receiver.listenUdp(peer);
      }
    } catch (error) {
      await receiver.close();
      throw error;
    }
    return receiver;
  }

  private async listenUdp(peer: ResolvedPeer): Promise<void> {
    const socket = dgram.createSocket({ type: peer.transport === 'udp6' ? 'udp6' : 'udp4' });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (error) => reject(systemGeneralError('SNMPERR_BAD_LOCPORT', error, peer.name)));
      socket.bind(peer.port, peer.address, () => resolve());
    });
    socket.on('error', () => {}); // a failed acknowledgement must not crash the process
    const bound = socket.address();
    const endpoint = formatEndpoint(peer.transport, bound.address, bound.port);
    this.endpoints.push({ transport: peer.transport, address: bound.address, port: bound.port, endpoint });
    socket.on('message', (message, rinfo) =>
      this.handle(message, rinfo, endpoint, (reply) => socket.send(reply, rinfo.port, rinfo.address)),
    );
    this.closers.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  }

  private async listenTcp(peer: ResolvedPeer): Promise<void> {
    const connections = new Set<net.Socket>();
    const server = net.createServer((connection) => {
      connections.add(connection);
      connection.on('close', () => connections.delete(connection));
      connection.on('error', () => {});
      const source = { address: connection.remoteAddress ?? '', port: connection.remotePort ?? 0 };
      const framer = new BerStreamFramer();
      connection.on('data', (chunk: Buffer) => {
        const ok = framer.push(chunk, (message) =>
          this.handle(message, source, endpoint, (reply) => connection.write(reply)),
        );
        if (!ok) {
          this.stats.droppedUndecodable++;
          connection.destroy();
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(systemGeneralError('SNMPERR_BAD_LOCPORT', error, peer.name)));
      server.listen(peer.port, peer.address, () => resolve());
    });
    const bound = server.address() as net.AddressInfo;
    const endpoint = formatEndpoint(peer.transport, bound.address, bound.port);
    this.endpoints.push({ transport: peer.transport, address: bound.address, port: bound.port, endpoint });
    this.closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const c of connections) c.destroy();
          server.close(() => resolve());
        }),
    );
  }

  private handle(bytes: Uint8Array, source: MessageSource, endpoint: string, reply: (bytes: Uint8Array) => void): void {
    let message: CommunityMessage;
    try {
      const decoded = decodeMessage(bytes);
      if (decoded.version === 3) {
        this.stats.droppedUnexpected++;
        return;
      }
      message = decoded;
    } catch {
      this.stats.droppedUndecodable++;
      return;
    }
    const { communities } = this.options;
    if (communities && !communities.includes(message.community)) {
      this.stats.droppedCommunity++;
      return;
    }
    const pdu = message.pdu;
    const v1Trap = pdu.type === 'TrapV1' && message.version === 0;
    const v2Notification = (pdu.type === 'TrapV2' || pdu.type === 'InformRequest') && message.version === 1;
    if (!v1Trap && !v2Notification) {
      this.stats.droppedUnexpected++;
      return;
    }
    this.stats.received++;
    if (pdu.type === 'InformRequest') {
      reply(
        encodeMessage({
          version: message.version,
          community: message.community,
          pdu: { type: 'Response', requestId: pdu.requestId, errorStatus: 0, errorIndex: 0, varbinds: pdu.varbinds },
        }),
      );
      this.stats.acknowledged++;
    }
    const trapOidValue =
      pdu.type === 'TrapV1' ? undefined : pdu.varbinds.find((vb) => vb.oid === SNMP_TRAP_OID_0)?.value;
    this.options.onNotification({
      version: message.version,
      community: message.community,
      pdu: pdu as Notification['pdu'],
      trapOid: trapOidValue?.type === 'ObjectIdentifier' ? trapOidValue.value : undefined,
      source: { address: source.address, port: source.port },
      endpoint,
    });
  }

  /** Stops listening and closes every socket and connection. */
  async close(): Promise<void> {
    await Promise.all(this.closers.splice(0).map((close) => close()));
  }
}

/** The varbinds of a v2c notification: sysUpTime.0, snmpTrapOID.0, then the caller's (RFC 3416 §4.2.6). */
export function notificationVarbinds(trapOid: string, uptime: number, varbinds: readonly VarBind[]): VarBind[] {
  return [
    { oid: SYS_UP_TIME_0, value: { type: 'TimeTicks', value: uptime } },
    { oid: SNMP_TRAP_OID_0, value: { type: 'ObjectIdentifier', value: trapOid } },
    ...varbinds,
  ];
}
