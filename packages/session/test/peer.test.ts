import { describe, expect, it } from 'vitest';
import { GeneralError, parsePeer, resolvePeer } from '../src/index.js';

describe('parsePeer (Net-SNMP peer grammar)', () => {
  it.each([
    ['127.0.0.1', { transport: undefined, host: '127.0.0.1', port: 161 }],
    ['localhost:1161', { transport: undefined, host: 'localhost', port: 1161 }],
    ['udp:10.0.0.1', { transport: 'udp', host: '10.0.0.1', port: 161 }],
    ['UDP:10.0.0.1:162', { transport: 'udp', host: '10.0.0.1', port: 162 }],
    ['tcp:router.example:1161', { transport: 'tcp', host: 'router.example', port: 1161 }],
    ['udp6:[::1]:1161', { transport: 'udp6', host: '::1', port: 1161 }],
    ['udp6:::1', { transport: 'udp6', host: '::1', port: 161 }],
    ['udpv6:[fe80::1]', { transport: 'udp6', host: 'fe80::1', port: 161 }],
    ['tcp6:[2001:db8::5]:10161', { transport: 'tcp6', host: '2001:db8::5', port: 10161 }],
    ['tcpipv6:[::1]', { transport: 'tcp6', host: '::1', port: 161 }],
    ['[::1]:1161', { transport: 'udp6', host: '::1', port: 1161 }],
    ['[::1]', { transport: 'udp6', host: '::1', port: 161 }],
    ['[127.0.0.1]:1161', { transport: undefined, host: '127.0.0.1', port: 1161 }],
    ['udp:[127.0.0.1]:1161', { transport: 'udp', host: '127.0.0.1', port: 1161 }],
    ['tcp:[127.0.0.1]', { transport: 'tcp', host: '127.0.0.1', port: 161 }],
    ['ipv6:[::1]:1161', { transport: 'udp6', host: '::1', port: 1161 }],
    ['IPv6:::1', { transport: 'udp6', host: '::1', port: 161 }],
    ['host:0', { transport: undefined, host: 'host', port: 0 }],
    ['2001:db8::1', { transport: 'udp6', host: '2001:db8::1', port: 161 }],
  ])('%s', (peer, expected) => {
    expect(parsePeer(peer)).toEqual(expected);
  });

  it.each([
    ['', /no host/],
    ['udp:', /no host/],
    ['host:65536', /out of range/],
    ['host:http', /not a port number/],
    ['[::1', /unclosed/],
    ['[::1]x', /unexpected/],
    ['[not-an-ip]:161', /not an IP address/],
    ['udp:[::1]:161', /udp is IPv4; use udp6/],
    ['1:2:3', /not an IPv6 address/],
  ])('%s is SNMPERR_BAD_ADDRESS', (peer, message) => {
    let error: unknown;
    try {
      parsePeer(peer);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GeneralError);
    expect(error).toMatchObject({ snmpError: { name: 'SNMPERR_BAD_ADDRESS', number: -3 } });
    expect((error as Error).message).toMatch(/^Unknown host/);
    expect((error as Error).message).toMatch(message);
  });
});

describe('resolvePeer', () => {
  it('keeps literals, resolves names, uses the port given or 161', async () => {
    expect(await resolvePeer('udp:127.0.0.1:1161')).toEqual({
      transport: 'udp',
      address: '127.0.0.1',
      port: 1161,
      name: 'udp:127.0.0.1:1161',
    });
    expect(await resolvePeer('localhost')).toMatchObject({ transport: 'udp', address: '127.0.0.1', port: 161 });
    expect(await resolvePeer('tcp6:[::1]')).toMatchObject({ transport: 'tcp6', address: '::1' });
    // canonical, as the socket reports the sources of replies (which must match to be accepted)
    expect(await resolvePeer('udp6:[0:0:0:0:0:0:0:1]:1161')).toMatchObject({ address: '::1', port: 1161 });
    expect(await resolvePeer('[FE80:0::0001]')).toMatchObject({ address: 'fe80::1' });
  });

  it('an unknown host name is SNMPERR_BAD_ADDRESS with the resolver error as system error', async () => {
    const error = await resolvePeer('no-such-host.invalid:161').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_SNMP_GENERAL', snmpError: { name: 'SNMPERR_BAD_ADDRESS', number: -3 } });
    expect((error as GeneralError).systemError).toMatch(/^E/);
    expect((error as Error).message).toContain('no-such-host.invalid:161');
  });

  it('an IPv4 literal on an IPv6 transport is refused, in brackets too', async () => {
    await expect(resolvePeer('udp6:127.0.0.1')).rejects.toThrow(/not an IPv6 address/);
    await expect(resolvePeer('udp6:[127.0.0.1]:1161')).rejects.toThrow(/not an IPv6 address/);
  });

  it('a bracketed IPv4 literal is an IPv4 peer; port 0 only when minPort allows it', async () => {
    expect(await resolvePeer('[127.0.0.1]:1161')).toMatchObject({ transport: 'udp', address: '127.0.0.1' });
    expect(await resolvePeer('udp:127.0.0.1:0')).toMatchObject({ port: 0 });
    await expect(resolvePeer('udp:127.0.0.1:0', 161, 1)).rejects.toThrow(/out of range 1\.\.65535/);
  });
});
