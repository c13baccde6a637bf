import { readFileSync } from 'node:fs';
import { hexToBytes } from '../src/index.js';

export interface Vector {
  /** "agent>12345", "12345>agent", "12345>trapd": who sent it to whom. */
  direction: string;
  hex: string;
  bytes: Uint8Array;
}

/** The real Net-SNMP traffic captured by scripts/capture-vectors.sh. */
export function loadVectors(): Vector[] {
  const text = readFileSync(new URL('./fixtures/net-snmp-vectors.txt', import.meta.url), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [direction, hex] = line.split(' ') as [string, string];
      return { direction, hex, bytes: hexToBytes(hex) };
    });
}
