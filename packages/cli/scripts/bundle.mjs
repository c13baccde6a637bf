// After tsc: bundles dist/bin.js and the modules it loads (the @snmpkit packages included) into dist/bundle/,
// one file per lazily loaded command, because loading ~30 small ES modules is most of a one-shot command's own
// start-up time (bench/startup.ts). Uses esbuild when it can be resolved (it comes with tsx in this workspace);
// without it the build keeps the unbundled dist/, which bin/snmpkit.js then runs.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/bundle');
rmSync(outdir, { recursive: true, force: true });
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.log('bundle: esbuild not found; bin/snmpkit.js will run the unbundled dist/bin.js');
  process.exit(0);
}
await esbuild.build({
  entryPoints: [join(root, 'dist/bin.js')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // The native addon's loader finds its binary next to its own module: it must run from where npm installed it.
  external: ['@snmpkit/udp-pktinfo'],
});
