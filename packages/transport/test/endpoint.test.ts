import { describe, expect, it } from 'vitest';
import { formatEndpoint, parseEndpoint, resolveEndpoint, TransportError } from '../src/index.js';

/** The TransportError parseEndpoint throws for `text`. */
function refusal(text: string): TransportError {
  try {
    parseEndpoint(text);
  } catch (error) {
    expect(error).toBeInstanceOf(TransportError);
    return error as TransportError;
  }
  throw new Error(`${text} was accepted`);
}

describe("Net-SNMP's endpoint grammar", () => {
  it('reads what the simulator and the receiver listen on, and formats it back', () => {
    expect(parseEndpoint('udp:127.0.0.1:0')).toEqual({ transport: 'udp', host: '127.0.0.1', port: 0 });
    expect(parseEndpoint('udp6:[::1]:1161')).toEqual({ transport: 'udp6', host: '::1', port: 1161 });
    expect(parseEndpoint('[::1]:5')).toEqual({ transport: 'udp6', host: '::1', port: 5 });
    expect(parseEndpoint('tcp:localhost')).toEqual({ transport: 'tcp', host: 'localhost', port: 161 });
    expect(parseEndpoint('10.0.0.1')).toEqual({ transport: undefined, host: '10.0.0.1', port: 161 });
    expect(parseEndpoint('udp:0.0.0.0', 162)).toEqual({ transport: 'udp', host: '0.0.0.0', port: 162 });
    expect(formatEndpoint({ transport: 'udp6', address: '::1', port: 9 })).toBe('udp6:[::1]:9');
    expect(formatEndpoint({ transport: 'tcp', address: '127.0.0.1', port: 161 })).toBe('tcp:127.0.0.1:161');
  });

  it.each([
    ['dtls:127.0.0.1:161', /the dtls transport \(DTLS over UDP \(RFC 6353\)\) is not supported/],
    ['dtlsudp:127.0.0.1:161', /the dtlsudp transport .* is not supported/],
    ['tls:127.0.0.1:161', /the tls transport \(TLS over TCP \(RFC 6353\)\) is not supported/],
    ['tlstcp:host', /the tlstcp transport .* is not supported/],
    ['unix:/tmp/x', /the unix transport \(Unix domain sockets\) is not supported: use udp, udp6, tcp or tcp6/],
    ['ssh:host:22', /the ssh transport .* is not supported/],
    ['ipx:00000000:112233445566', /the ipx transport .* is not supported/],
    ['sctp:host:1', /the sctp transport .* is not supported/],
    ['foo:bar:baz', /"foo:bar:baz" is not an IPv6 address \(use \[addr\]:port\), and "foo" is not a transport/],
    ['1:2:3', /"1:2:3" is not an IPv6 address \(use \[addr\]:port\)$/],
    ['udp:127.0.0.1:99999', /port 99999 is out of range 0\.\.65535/],
    ['udp:127.0.0.1:abc', /"abc" is not a port number/],
  ])('%s is refused with a reason that names it', (text, reason) => {
    const error = refusal(text);
    expect(error.failure).toBe('address');
    expect(error.code).toBe('ERR_SNMP_TRANSPORT');
    expect(error.detail).toMatch(reason);
    expect(error.message).toMatch(/^bad endpoint: /);
    expect(error.message).toContain(text);
  });

  it('takes port 0 as Net-SNMP does (a listener gets a port; a send to it fails), unless minPort refuses it', () => {
    expect(parseEndpoint('udp:127.0.0.1:0').port).toBe(0);
    expect(() => parseEndpoint('udp:127.0.0.1:0', 161, 1)).toThrow(/port 0 is out of range 1\.\.65535/);
  });

  it('resolves names and refuses a name that does not resolve with the resolver error', async () => {
    expect(await resolveEndpoint('tcp:localhost:1161')).toEqual({
      transport: 'tcp',
      address: '127.0.0.1',
      port: 1161,
      name: 'tcp:localhost:1161',
    });
    const error = await resolveEndpoint('no-such-host.invalid').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ failure: 'address', detail: 'no-such-host.invalid' });
    expect((error as TransportError).systemError).toMatch(/^E/);
  });
});
