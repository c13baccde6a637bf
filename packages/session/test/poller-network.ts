import { type BasicPdu, type CommunityMessage, decodeMessage, SnmpValue, type VarBind } from '@snmpkit/ber';
import { Agent, type AgentUser, Device } from '@snmpkit/simulator';
import type { DatagramSocket, MessageSource } from '@snmpkit/transport';

/** A datagram as the fake network saw it leave the poller. */
export interface SentDatagram {
  to: string;
  bytes: Uint8Array;
}

type Host = (bytes: Uint8Array, reply: (bytes: Uint8Array) => void) => void;

/**
 * An in-memory network for the poller: `openSocket` gives it sockets; datagrams to an address:port with a host go to
 * that host on a later turn of the event loop (setImmediate: real, so that fake timers only move timeouts), and its
 * replies come back from that address:port. Datagrams to any other address vanish (a dead agent). The test may
 * deliver anything from any source (spoofs) with `inject`.
 */
export class FakeNetwork {
  readonly hosts = new Map<string, Host>();
  readonly sockets: FakeSocket[] = [];
  readonly sent: SentDatagram[] = [];
  /** Every datagram in the order it left the poller ('send') or reached it ('reply'). */
  readonly timeline: { kind: 'send' | 'reply'; key: string; bytes: Uint8Array }[] = [];
  /** Datagrams sent to each address:port and not yet answered: the requests in flight as the agent sees them. */
  readonly outstanding = new Map<string, number>();
  maxOutstanding = 0;
  readonly maxOutstandingPer = new Map<string, number>();

  openSocket = async (family: 4 | 6): Promise<DatagramSocket> => {
    const socket = new FakeSocket(this, family);
    this.sockets.push(socket);
    return socket;
  };

  /** Serves `agent` at `address:port`. */
  addAgent(key: string, agent: Agent): void {
    const [address, port] = splitKey(key);
    this.hosts.set(key, (bytes, reply) =>
      agent.receive(bytes, { key: `poller:${key}`, source: { address: 'poller', port: 1 }, send: reply }),
    );
    void address;
    void port;
  }

  addHost(key: string, host: Host): void {
    this.hosts.set(key, host);
  }

  totalOutstanding(): number {
    let n = 0;
    for (const v of this.outstanding.values()) n += v;
    return n;
  }

  deliver(socket: FakeSocket, bytes: Uint8Array, port: number, address: string): void {
    const key = `${address}:${port}`;
    const copy = Uint8Array.from(bytes);
    this.sent.push({ to: key, bytes: copy });
    this.timeline.push({ kind: 'send', key, bytes: copy });
    const host = this.hosts.get(key);
    if (!host) return;
    const now = (this.outstanding.get(key) ?? 0) + 1;
    this.outstanding.set(key, now);
    this.maxOutstandingPer.set(key, Math.max(this.maxOutstandingPer.get(key) ?? 0, now));
    this.maxOutstanding = Math.max(this.maxOutstanding, this.totalOutstanding());
    setImmediate(() => {
      let answered = false;
      host(copy, (reply) => {
        if (!answered) {
          answered = true;
          this.outstanding.set(key, this.outstanding.get(key)! - 1);
        }
        const back = Uint8Array.from(reply);
        setImmediate(() => {
          this.timeline.push({ kind: 'reply', key, bytes: back });
          socket.receive(back, { address, port });
        });
      });
      if (!answered) this.outstanding.set(key, this.outstanding.get(key)! - 1);
    });
  }

  /** Delivers bytes to every open socket as if from `source`. */
  inject(bytes: Uint8Array, source: MessageSource): void {
    for (const socket of this.sockets) socket.receive(bytes, source);
  }
}

export class FakeSocket implements DatagramSocket {
  closed = false;
  private listener: ((message: Uint8Array, source: MessageSource) => void) | undefined;

  constructor(
    private readonly network: FakeNetwork,
    readonly family: 4 | 6,
  ) {}

  send(message: Uint8Array, port: number, address: string): void {
    if (this.closed) throw new Error('send on a closed socket');
    this.network.deliver(this, message, port, address);
  }

  onMessage(listener: (message: Uint8Array, source: MessageSource) => void): void {
    this.listener = listener;
  }

  receive(bytes: Uint8Array, source: MessageSource): void {
    if (!this.closed) this.listener?.(bytes, source);
  }

  close(): void {
    this.closed = true;
  }
}

function splitKey(key: string): [string, number] {
  const i = key.lastIndexOf(':');
  return [key.slice(0, i), Number(key.slice(i + 1))];
}

const text = (s: string) => SnmpValue.octetString(s);

/** A small device: the system group and an ifTable of `interfaces` rows (ifIndex, ifDescr, ifInOctets). */
export function deviceNamed(name: string, interfaces = 3): Device {
  const varbinds: VarBind[] = [
    { oid: '1.3.6.1.2.1.1.1.0', value: text(`${name} descr`) },
    { oid: '1.3.6.1.2.1.1.3.0', value: SnmpValue.timeTicks(100) },
    { oid: '1.3.6.1.2.1.1.5.0', value: text(name) },
  ];
  for (const column of [1, 2, 10]) {
    for (let i = 1; i <= interfaces; i++) {
      const oid = `1.3.6.1.2.1.2.2.1.${column}.${i}`;
      const value =
        column === 1 ? SnmpValue.integer(i) : column === 2 ? text(`${name}-if${i}`) : SnmpValue.counter32(i * 1000);
      varbinds.push({ oid, value });
    }
  }
  return Device.fromVarbinds(varbinds);
}

export function communityAgent(name: string, interfaces = 3): Agent {
  return new Agent({ device: deviceNamed(name, interfaces), communities: ['public'] });
}

export function v3Agent(name: string, user: AgentUser, engineId?: string): Agent {
  return new Agent({ device: deviceNamed(name), users: [user], ...(engineId ? { engineId } : {}) });
}

/** The request-id of a v1/v2c message. */
export function requestIdOf(bytes: Uint8Array): number {
  return ((decodeMessage(bytes) as CommunityMessage).pdu as BasicPdu).requestId;
}
