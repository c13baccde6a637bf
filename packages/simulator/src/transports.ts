import {
  type ClientTransport,
  type Listener,
  type ListenOptions,
  listen as listenOn,
  type MessageSource,
  type Remote,
  type SharedUdpListener,
  type TransportKind,
} from '@snmpkit/transport';
import type { Agent, ReplyChannel } from './agent.js';

/** What a listener of the agent may be told beyond its endpoint (TCP's bounds: see @snmpkit/transport's listen). */
export type AgentListenOptions = Pick<ListenOptions, 'maxMessageSize' | 'maxConnections' | 'idleTimeoutMs'>;

/**
 * Opens a UDP or TCP listener (@snmpkit/transport's) whose messages go to the agent; the agent's close() closes it.
 * `transportIdOf` names the listener once bound (snmpsim's transport ID, from its transport): every message it
 * receives carries it. Throws TransportError for a bad endpoint or one that cannot be bound.
 */
export async function listen(
  agent: Agent,
  endpoint: string,
  options: AgentListenOptions = {},
  transportIdOf?: (transport: TransportKind) => string,
): Promise<Listener> {
  // Known once bound; no message arrives before.
  let transportId: string | undefined;
  const listener = await listenOn(endpoint, {
    ...options,
    // A literal rather than a spread of `remote`: the spread is a generic clone, measurably slower per datagram.
    onMessage: (message, remote) =>
      agent.receive(
        message,
        transportId === undefined ? remote : { key: remote.key, source: remote.source, send: remote.send, transportId },
      ),
  });
  transportId = transportIdOf?.(listener.transport);
  const unregister = agent.onClose(() => listener.close());
  return {
    endpoint: listener.endpoint,
    transport: listener.transport,
    address: listener.address,
    port: listener.port,
    get connections() {
      return listener.connections;
    },
    close: () => {
      unregister();
      return listener.close();
    },
  };
}

/** snmpsim's transport ID of an agent's first UDP listener (snmpUDPDomain, listener 0). */
const FIRST_UDP_TRANSPORT_ID = '1.3.6.1.6.1.1.0';

/** A shared listener's sender seen as the agent's ReplyChannel: nothing built that the agent does not ask for. */
class SharedChannel implements ReplyChannel {
  readonly transportId = FIRST_UDP_TRANSPORT_ID;
  constructor(readonly remote: Remote) {}
  get key(): string {
    return this.remote.key;
  }
  get source(): MessageSource {
    return this.remote.source;
  }
  send(bytes: Uint8Array): void {
    this.remote.send(bytes);
  }
}

/**
 * Serves the agent at `address` on a shared UDP listener (one socket for a lab's devices, @snmpkit/transport's
 * listenUdpShared) as its only UDP listener; the agent's close() stops it. Returns its endpoint.
 */
export function serveOnShared(agent: Agent, shared: SharedUdpListener, address: string): string {
  const stop = shared.serve(address, (message, remote) => agent.receive(message, new SharedChannel(remote)));
  agent.onClose(async () => stop());
  return `udp:${address}:${shared.port}`;
}

export interface ConnectOptions {
  /** The address replies appear to come from. Default { address: 'memory', port: 0 }. */
  source?: MessageSource;
}

let connectionCount = 0;

/**
 * An in-memory transport to the agent: no sockets; each message is delivered on a later turn of the event loop,
 * in order, like a network would. Agent-side delays and faults run on the agent's clock.
 */
export function connect(agent: Agent, options: ConnectOptions = {}): ClientTransport {
  const id = ++connectionCount;
  const source = options.source ?? { address: 'memory', port: 0 };
  const listeners: ((message: Uint8Array, source: MessageSource) => void)[] = [];
  let closed = false;
  const channel: ReplyChannel = {
    key: `memory:${id}`,
    source: { address: 'memory', port: id },
    send: (bytes) => {
      const copy = Uint8Array.from(bytes);
      const arrived = agent.delivering();
      setImmediate(() => {
        try {
          if (!closed) for (const l of listeners) l(copy, source);
        } finally {
          arrived();
        }
      });
    },
  };
  const unregister = agent.onClose(async () => {
    closed = true;
  });
  return {
    send(message: Uint8Array): void {
      if (closed) return;
      const copy = Uint8Array.from(message);
      const arrived = agent.delivering();
      setImmediate(() => {
        try {
          if (!closed) agent.receive(copy, channel);
        } finally {
          arrived();
        }
      });
    },
    onMessage(listener) {
      listeners.push(listener);
    },
    close() {
      closed = true;
      unregister();
    },
  };
}
