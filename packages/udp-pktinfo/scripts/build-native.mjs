// Builds the native addon at install time (npm runs this for `npm ci` / `npm install`). It never fails the install:
// without the addon, load() returns undefined and says why (unavailableReason()), and callers keep node:dgram.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const failureFile = join(packageDir, 'build', 'build-failure.txt');

function skip(reason) {
  console.warn(`@snmpkit/udp-pktinfo: native addon not built: ${reason}`);
  process.exit(0);
}

if (process.platform !== 'linux') {
  skip(`it is Linux-only (IP_PKTINFO, recvmmsg/sendmmsg, SO_BINDTODEVICE); this is ${process.platform}`);
}

// node-gyp downloads Node's headers unless told where they are. Distribution packages (Debian's nodejs, the
// official tarballs) install them beside the binary, in <prefix>/include/node: use those when their version matches.
const args = ['rebuild'];
const prefix = resolve(dirname(process.execPath), '..');
const versionHeader = join(prefix, 'include', 'node', 'node_version.h');
if (existsSync(versionHeader)) {
  const text = readFileSync(versionHeader, 'utf8');
  const part = (name) => text.match(new RegExp(`#define ${name} (\\d+)`))?.[1];
  const headers = `v${part('NODE_MAJOR_VERSION')}.${part('NODE_MINOR_VERSION')}.${part('NODE_PATCH_VERSION')}`;
  if (headers === process.version) args.push(`--nodedir=${prefix}`);
}

// npm tells lifecycle scripts where its bundled node-gyp is; run by hand, use the one bundled with npm beside node,
// else node-gyp from PATH.
const bundled = join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const gyp = process.env.npm_config_node_gyp ?? (existsSync(bundled) ? bundled : undefined);
const command = gyp ? process.execPath : 'node-gyp';
const commandArgs = gyp ? [gyp, ...args] : args;
const result = spawnSync(command, commandArgs, {
  cwd: packageDir,
  stdio: ['ignore', 'pipe', 'pipe'],
  encoding: 'utf8',
});
if (result.status !== 0) {
  const output = `${result.error?.message ?? ''}\n${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim();
  const lastLines = output.split('\n').slice(-15).join('\n');
  try {
    writeFileSync(failureFile, `node-gyp ${args.join(' ')} failed:\n${lastLines}\n`);
  } catch {
    // build/ may not exist when node-gyp failed before configuring: the console message below is enough.
  }
  skip(`node-gyp ${args.join(' ')} failed (python3, make and a C compiler are needed):\n${lastLines}`);
}
rmSync(failureFile, { force: true });
