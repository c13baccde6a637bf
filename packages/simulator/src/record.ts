import { isException, type VarBind } from '@snmpkit/ber';
import { formatSnmprecLine } from './snmprec.js';

/**
 * Records what a walk of a live agent yielded as .snmprec text, which the simulator then serves back: `snmpkit
 * record` feeds it @snmpkit/session's walk (the simulator holds no client). Exception values (noSuchObject,
 * noSuchInstance, endOfMibView) are left out: the replay answers them by itself where it has nothing.
 */
export async function recordSnmprec(walk: AsyncIterable<VarBind> | Iterable<VarBind>): Promise<string> {
  let out = '';
  for await (const vb of walk) if (!isException(vb.value)) out += `${formatSnmprecLine(vb.oid, vb.value)}\n`;
  return out;
}
