/**
 * Memory of a million-OID device: loaded, and after a full walk (which decodes and encodes every varbind once, and
 * keeps the last `cacheSize` of them). 50 columns x 20,000 rows, half integers and half strings, walked in-process
 * through the agent's in-memory transport with GETBULKs of max-repetitions 50. Needs --expose-gc, to measure what
 * is live:
 *
 *   node --expose-gc --import tsx bench/million-walk.ts
 */
import { decodeMessage, encodeMessage, SnmpValue, type VarBind } from '@snmpkit/ber';
import { Agent, Device } from '@snmpkit/simulator';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function memory(): string {
  gc!();
  gc!();
  const m = process.memoryUsage();
  const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
  return `heap ${mb(m.heapUsed)}, array buffers ${mb(m.arrayBuffers)}, RSS ${mb(m.rss)}`;
}

const lines: string[] = [];
for (let c = 1; c <= 50; c++) {
  for (let r = 1; r <= 20_000; r++)
    lines.push(`1.3.6.1.4.1.99999.2.1.${c}.${r}|${c % 2 ? 2 : 4}|${c % 2 ? r : `value ${r}`}`);
}
let text: string | undefined = `${lines.join('\n')}\n`;
lines.length = 0;

const started = performance.now();
const device = Device.fromSnmprec(text);
text = undefined;
console.log(`1,000,000 OIDs loaded in ${(performance.now() - started).toFixed(0)} ms: ${memory()}`);

const ROOT = '1.3.6.1.4.1.99999.2.1';
const agent = new Agent({ device });
const transport = agent.connect();
let answer: ((varbinds: VarBind[]) => void) | undefined;
transport.onMessage((bytes) => {
  const message = decodeMessage(bytes);
  answer?.(message.version === 3 ? [] : message.pdu.varbinds);
});
/** One GETBULK from `oid` through the in-memory transport: the response's varbinds. */
function getBulk(oid: string, requestId: number): Promise<VarBind[]> {
  return new Promise((resolve) => {
    answer = resolve;
    transport.send(
      encodeMessage({
        version: 1,
        community: 'public',
        pdu: {
          type: 'GetBulkRequest',
          requestId,
          nonRepeaters: 0,
          maxRepetitions: 50,
          varbinds: [{ oid, value: SnmpValue.null() }],
        },
      }),
    );
  });
}
try {
  let walked = 0;
  let last = ROOT;
  const walkStarted = performance.now();
  for (let id = 1; ; id++) {
    const varbinds = (await getBulk(last, id)).filter(
      (vb) => vb.oid.startsWith(`${ROOT}.`) && vb.value.type !== 'EndOfMibView',
    );
    walked += varbinds.length;
    if (varbinds.length < 50) break;
    last = varbinds.at(-1)!.oid;
  }
  console.log(`walked ${walked} in ${(performance.now() - walkStarted).toFixed(0)} ms: ${memory()}`);
} finally {
  transport.close();
  await agent.close();
}
