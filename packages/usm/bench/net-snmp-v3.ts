import { readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';

/**
 * The `net-snmp` npm package exports its Authentication and Encryption helpers but not its Message class, which
 * is where it builds and reads whole v3 messages. To benchmark the equivalent of encodeSecureMessage and
 * decodeSecureMessage, its unmodified index.js is loaded once more with Message and the PDU classes added to the
 * export list (nothing else changes).
 */
export interface NetSnmpUser {
  name: string;
  level: number;
  authProtocol: string;
  authKey: string;
  privProtocol: string;
  privKey: string;
}

export interface NetSnmpMessage {
  toBuffer(): Buffer;
  processIncomingSecurity(user: NetSnmpUser, onError: (error: Error) => void): boolean;
  pdu: { varbinds: unknown[] } | null;
}

export interface NetSnmpV3 {
  Message: {
    createRequestV3(user: NetSnmpUser, securityParameters: object, pdu: unknown): NetSnmpMessage;
    createV3(user: NetSnmpUser, globalData: object, securityParameters: object, pdu: unknown): NetSnmpMessage;
    createFromBuffer(buffer: Buffer): NetSnmpMessage;
  };
  GetRequestPdu: { createFromVariables(id: number, varbinds: unknown[], options: object): unknown };
  GetResponsePdu: { createFromVariables(id: number, varbinds: unknown[], options: object): unknown };
  SecurityLevel: Record<string, number>;
  AuthProtocols: Record<string, string>;
  PrivProtocols: Record<string, string>;
  ObjectType: Record<string, number>;
}

export function loadNetSnmpV3(): NetSnmpV3 {
  const require = createRequire(import.meta.url);
  const file = require.resolve('net-snmp');
  const source = `${readFileSync(file, 'utf8')}
module.exports.__v3 = { Message, GetRequestPdu, GetResponsePdu, SecurityLevel, AuthProtocols, PrivProtocols, ObjectType };`;
  const m = new Module(file) as Module & { _compile(code: string, filename: string): void };
  m.filename = file;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(file);
  m._compile(source, file);
  return (m.exports as { __v3: NetSnmpV3 }).__v3;
}
