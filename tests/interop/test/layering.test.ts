import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The package layering the root README describes, checked on the real tree: what each package may depend on and import.
 * A package that reaches upward (or into a sibling it may not use) fails here before it becomes a cycle.
 */
const ALLOWED: Record<string, string[]> = {
  ber: [],
  usm: ['ber'],
  mib: ['ber'],
  transport: ['ber', 'udp-pktinfo'],
  session: ['ber', 'usm', 'transport'],
  simulator: ['ber', 'usm', 'transport'],
  testkit: [],
  // One UDP socket for many local addresses (IP_PKTINFO, N-API addon): below transport, imports no other package.
  'udp-pktinfo': [],
  // udp-pktinfo: the CLI's bundle leaves the addon's loader outside (it finds its binary beside itself).
  cli: ['ber', 'usm', 'mib', 'transport', 'session', 'simulator', 'udp-pktinfo'],
};
// Test-only dependencies that do not create a cycle in the build graph (session tests may use the simulator).
const ALLOWED_DEV: Record<string, string[]> = {
  usm: ['testkit'],
  // The poller benchmark's floor client reads and sends through udp-pktinfo's batched socket.
  session: ['simulator', 'testkit', 'udp-pktinfo'],
  simulator: ['testkit'],
  cli: ['testkit'],
};

const root = new URL('../../../', import.meta.url).pathname;
const packagesDir = join(root, 'packages');

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(sourceFiles(path));
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

describe('package layering (root README)', () => {
  const packages = readdirSync(packagesDir).filter((p) => statSync(join(packagesDir, p)).isDirectory());

  it('knows every package in the tree', () => {
    expect(packages.sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  for (const pkg of packages) {
    it(`${pkg} depends on and imports only what it may`, () => {
      const manifest = JSON.parse(readFileSync(join(packagesDir, pkg, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      const internal = (deps: Record<string, string> | undefined) =>
        Object.keys(deps ?? {})
          .filter((d) => d.startsWith('@snmpkit/'))
          .map((d) => d.slice('@snmpkit/'.length));
      for (const dep of internal(manifest.dependencies)) expect(ALLOWED[pkg], `${pkg} -> ${dep}`).toContain(dep);
      for (const dep of internal(manifest.devDependencies)) {
        expect([...(ALLOWED[pkg] ?? []), ...(ALLOWED_DEV[pkg] ?? [])], `${pkg} (dev) -> ${dep}`).toContain(dep);
      }
      // Production sources import only allowed packages, and never another package's files by relative path.
      for (const file of sourceFiles(join(packagesDir, pkg, 'src'))) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/(?:from\s+|import\s*\()\s*['"]([^'"]+)['"]/g)) {
          const spec = m[1]!;
          if (spec.startsWith('@snmpkit/')) {
            const target = spec.slice('@snmpkit/'.length).split('/')[0]!;
            expect(ALLOWED[pkg], `${file} imports ${spec}`).toContain(target);
          }
          expect(spec, `${file} reaches outside its package`).not.toMatch(/^\.\.\/\.\.\/|packages\//);
        }
      }
    });
  }

  it('ber stays pure: no Node APIs in its sources', () => {
    for (const file of sourceFiles(join(packagesDir, 'ber', 'src'))) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/from\s+['"]node:|require\(/);
    }
  });

  it('only transport (and testkit) open sockets: no other package source imports node:dgram or node:net', () => {
    const SOCKET_OWNERS = ['transport', 'testkit'];
    for (const pkg of packages.filter((p) => !SOCKET_OWNERS.includes(p))) {
      for (const file of sourceFiles(join(packagesDir, pkg, 'src'))) {
        expect(readFileSync(file, 'utf8'), file).not.toMatch(
          /(?:from\s+|import\s*\(\s*)['"](?:node:)?(?:dgram|net)['"]/,
        );
      }
    }
  });
});
