export {
  type AddressHandler,
  BatchedUdpSocket,
  listenUdpShared,
  type SharedUdpListener,
  type SharedUdpListenerOptions,
  sharedUdpUnavailable,
} from './address-set.js';
export {
  type ClientTransport,
  type DatagramSocket,
  type LocalBinding,
  type MessageSource,
  openClientTransport,
  type TcpClientOptions,
  TcpTransport,
  UdpSocket,
  UdpTransport,
} from './client.js';
export {
  DEFAULT_PORT,
  formatEndpoint,
  type ParsedEndpoint,
  parseEndpoint,
  type ResolvedEndpoint,
  resolveEndpoint,
  type TransportKind,
} from './endpoint.js';
export { TransportError, type TransportErrorOptions, type TransportFailure } from './errors.js';
export {
  BerStreamFramer,
  type BerStreamFramerOptions,
  berFrameLength,
  DEFAULT_MAX_MESSAGE_SIZE,
  FRAME_INCOMPLETE,
  FRAME_INVALID,
} from './framer.js';
export {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  type Listener,
  type ListenOptions,
  listen,
  type Remote,
} from './listener.js';
