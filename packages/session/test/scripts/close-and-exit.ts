// Run by lifecycle.test.ts in a child process: after close() (or with an idle session), nothing the session owns
// may keep the process alive. Prints what happened; the parent checks that the process then exits by itself.
import { Session } from '../../src/index.js';

const [mode, port] = [process.argv[2], Number(process.argv[3])];
const session = await Session.open({ peer: `udp:127.0.0.1:${port}`, timeout: 60_000, retries: 5 });
if (mode === 'pending') {
  const pending = session.get(['1.3.6.1.2.1.1.1.0']).catch((error: { code?: string }) => error.code);
  await new Promise((resolve) => setTimeout(resolve, 100));
  await session.close();
  console.log(`rejected with ${await pending}`);
} else {
  console.log('idle session left open');
}
