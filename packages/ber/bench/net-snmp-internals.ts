import { readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';

/**
 * The `net-snmp` npm package does not export its message codec (Message, the PDU classes), only sessions and agents.
 * To compare codecs and nothing else, load its own index.js once more with those internals added to its exports.
 * This runs net-snmp's unmodified code; only the export list grows.
 */
export interface NetSnmpCodec {
  Message: {
    createFromBuffer(buffer: Buffer): unknown;
    createCommunity(version: number, community: string, pdu: unknown): { toBuffer(): Buffer };
  };
  GetResponsePdu: { createFromVariables(id: number, varbinds: unknown[], options: object): unknown };
  ObjectType: Record<string, number>;
}

export function loadNetSnmpCodec(): NetSnmpCodec {
  const require = createRequire(import.meta.url);
  const file = require.resolve('net-snmp');
  const source = `${readFileSync(file, 'utf8')}
module.exports.__codec = { Message, GetResponsePdu, ObjectType };`;
  const m = new Module(file) as Module & { _compile(code: string, filename: string): void };
  m.filename = file;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(file);
  m._compile(source, file);
  return (m.exports as { __codec: NetSnmpCodec }).__codec;
}
