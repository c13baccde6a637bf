"""A pysnmp 4.x GET for the interop tests: manager.py PORT NAME:AUTH:AUTHPASS:PRIV:PRIVPASS OID... prints one
`OID = VALUE` line per varbind, or `error: ...` and exits 1."""
import sys

from pysnmp.hlapi import (ContextData, ObjectIdentity, ObjectType, SnmpEngine, UdpTransportTarget, UsmUserData,
                          getCmd, usm3DESEDEPrivProtocol, usmAesCfb128Protocol, usmDESPrivProtocol,
                          usmHMACMD5AuthProtocol, usmHMACSHAAuthProtocol)

AUTH = {'MD5': usmHMACMD5AuthProtocol, 'SHA': usmHMACSHAAuthProtocol}
PRIV = {'3DES': usm3DESEDEPrivProtocol, 'DES': usmDESPrivProtocol, 'AES': usmAesCfb128Protocol}

port = int(sys.argv[1])
name, auth, auth_pass, priv, priv_pass = sys.argv[2].split(':')
user = UsmUserData(name, auth_pass, priv_pass, authProtocol=AUTH[auth], privProtocol=PRIV[priv])
objects = [ObjectType(ObjectIdentity(oid)) for oid in sys.argv[3:]]
error_indication, error_status, error_index, var_binds = next(
    getCmd(SnmpEngine(), user, UdpTransportTarget(('127.0.0.1', port), timeout=2, retries=2), ContextData(),
           *objects, lookupMib=False))
if error_indication or error_status:
    print('error: %s' % (error_indication or error_status.prettyPrint()), flush=True)
    sys.exit(1)
for oid, value in var_binds:
    print('%s = %s' % (oid.prettyPrint(), value.prettyPrint()), flush=True)
