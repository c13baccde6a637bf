"""A pysnmp 4.x command responder for the interop tests: v3 users given as NAME:AUTH:AUTHPASS:PRIV:PRIVPASS
arguments, on 127.0.0.1 at a free port, which it prints as `port N` once it listens. Stopped by its parent (SIGTERM)."""
import sys

from pysnmp.carrier.asyncore.dgram import udp
from pysnmp.entity import config, engine
from pysnmp.entity.rfc3413 import cmdrsp, context
from pysnmp.proto.api import v2c

AUTH = {'MD5': config.usmHMACMD5AuthProtocol, 'SHA': config.usmHMACSHAAuthProtocol}
PRIV = {'3DES': config.usm3DESEDEPrivProtocol, 'DES': config.usmDESPrivProtocol, 'AES': config.usmAesCfb128Protocol}

snmp_engine = engine.SnmpEngine(snmpEngineID=v2c.OctetString(hexValue='80001f8880707973736e6d70'))
transport = udp.UdpTransport().openServerMode(('127.0.0.1', 0))
config.addTransport(snmp_engine, udp.domainName, transport)
for spec in sys.argv[1:]:
    name, auth, auth_pass, priv, priv_pass = spec.split(':')
    config.addV3User(snmp_engine, name, AUTH[auth], auth_pass, PRIV[priv], priv_pass)
    config.addVacmUser(snmp_engine, 3, name, 'authPriv', (1, 3, 6), (1, 3, 6))
snmp_context = context.SnmpContext(snmp_engine)
cmdrsp.GetCommandResponder(snmp_engine, snmp_context)
cmdrsp.NextCommandResponder(snmp_engine, snmp_context)
cmdrsp.BulkCommandResponder(snmp_engine, snmp_context)
print('port %d' % transport.socket.getsockname()[1], flush=True)
snmp_engine.transportDispatcher.jobStarted(1)
snmp_engine.transportDispatcher.runDispatcher()
