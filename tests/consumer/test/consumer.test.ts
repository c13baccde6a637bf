import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Every published package as a consumer gets it from the registry: `npm pack` of each workspace package, installed
 * from the tarballs into fresh projects outside the repository (no workspace, nothing hoisted from the repo), then
 * compiled strictly against and run. The npm client runs offline-first: the only registry package the consumer
 * project needs, @types/node, is in npm's cache after the repository's own `npm ci`.
 */
const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
const fixture = new URL('../fixture/', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const typesNodeVersion = (
  JSON.parse(readFileSync(require.resolve('@types/node/package.json'), 'utf8')) as { version: string }
).version;

const PACKAGES = ['ber', 'usm', 'mib', 'udp-pktinfo', 'transport', 'session', 'simulator', 'cli', 'testkit'] as const;
type PackageDir = (typeof PACKAGES)[number];
interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}
const manifests = Object.fromEntries(
  PACKAGES.map((dir) => [
    dir,
    JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest,
  ]),
) as Record<PackageDir, Manifest>;
const dirOf = (name: string): PackageDir => {
  const dir = PACKAGES.find((d) => manifests[d].name === name);
  if (!dir) throw new Error(`${name} is not a published snmpkit package`);
  return dir;
};

// npm, run by `npm test` through turbo, hands its settings to children as npm_* variables (the workspace among
// them): a nested npm must not see them, or it installs into the repository instead of the fresh project.
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD'),
) as NodeJS.ProcessEnv;
async function sh(file: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(file, args, { cwd, env: cleanEnv, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  } catch (error) {
    // tsc reports on stdout: keep both streams in the failure.
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${[file, ...args].join(' ')} failed in ${cwd}\n${stdout}${stderr}`);
  }
}
const npmInstall = (cwd: string, specs: string[]) =>
  sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', ...specs], cwd);

let work: string;
const tarballs = {} as Record<PackageDir, string>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'snmpkit-consumer-'));
  mkdirSync(join(work, 'tarballs'));
  for (const dir of PACKAGES) {
    const { stdout } = await sh(
      'npm',
      ['pack', '--json', '--pack-destination', join(work, 'tarballs')],
      join(root, 'packages', dir),
    );
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    tarballs[dir] = join(work, 'tarballs', packed!.filename);
  }
}, 600_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** One project with every package and @types/node installed, for the consumer and the README examples. */
let installed: Promise<string> | undefined;
function consumerProject(): Promise<string> {
  installed ??= (async () => {
    const project = join(work, 'consumer');
    cpSync(fixture, project, { recursive: true });
    await npmInstall(project, [...PACKAGES.map((d) => tarballs[d]), `@types/node@${typesNodeVersion}`]);
    return project;
  })();
  return installed;
}

/** The package's tarball and those of every snmpkit package it needs, transitively: nothing else of the repo. */
function closure(dir: PackageDir, seen = new Set<PackageDir>()): Set<PackageDir> {
  seen.add(dir);
  for (const dep of Object.keys(manifests[dir].dependencies ?? {})) {
    if (dep.startsWith('@snmpkit/') && !seen.has(dirOf(dep))) closure(dirOf(dep), seen);
  }
  return seen;
}

describe('published packages, installed from their tarballs', () => {
  it('carry real version ranges between them, in step with the versions', () => {
    for (const dir of PACKAGES) {
      for (const [dep, range] of Object.entries(manifests[dir].dependencies ?? {})) {
        if (!dep.startsWith('@snmpkit/')) continue;
        expect(range, `${manifests[dir].name} -> ${dep}`).toBe(`^${manifests[dirOf(dep)].version}`);
      }
    }
  });

  it.concurrent.each(PACKAGES)(
    '%s publishes cleanly (npm publish --dry-run warns of nothing but the missing login)',
    async (dir) => {
      const { stdout, stderr } = await sh('npm', ['publish', '--dry-run', '--offline'], join(root, 'packages', dir));
      const warnings = stderr.split('\n').filter((l) => /warn/i.test(l) && !/requires you to be logged in/.test(l));
      expect(warnings, manifests[dir].name).toEqual([]);
      expect(stdout, manifests[dir].name).toContain(`${manifests[dir].name}@${manifests[dir].version}`);
      const files = stderr.split('\n').filter((l) => /npm notice [\d.]+k?B /.test(l));
      for (const needed of [
        'LICENSE',
        'README.md',
        'CHANGELOG.md',
        'package.json',
        'dist/index.js',
        'dist/index.d.ts',
      ]) {
        expect(
          files.some((l) => l.endsWith(` ${needed}`)),
          `${manifests[dir].name} ships ${needed}`,
        ).toBe(true);
      }
      // Source maps point at ../src: the sources ship with them, and no test or bench file does.
      expect(
        files.some((l) => l.endsWith(' src/index.ts')),
        `${manifests[dir].name} ships src/`,
      ).toBe(true);
      expect(
        files.filter((l) => /\btest\/|\bbench\//.test(l)),
        manifests[dir].name,
      ).toEqual([]);
    },
  );

  it.concurrent.each(PACKAGES)(
    '%s installs alone, with only the snmpkit tarballs it depends on, and imports',
    async (dir) => {
      const project = join(work, `alone-${dir}`);
      mkdirSync(project);
      writeFileSync(join(project, 'package.json'), '{ "name": "alone", "private": true, "type": "module" }\n');
      await npmInstall(
        project,
        [...closure(dir)].map((d) => tarballs[d]),
      );
      const { stdout } = await sh(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import('${manifests[dir].name}'); console.log(Object.keys(m).length)`,
        ],
        project,
      );
      expect(Number(stdout.trim()), manifests[dir].name).toBeGreaterThan(0);
    },
    300_000,
  );

  describe('a strict TypeScript consumer of all of them', () => {
    let project: string;
    beforeAll(async () => {
      project = await consumerProject();
    }, 300_000);

    it('compiles under moduleResolution node16 and runs: ber, usm, mib, session + simulator (v2c and v3), cli, testkit', async () => {
      await sh(process.execPath, [tsc, '-p', 'tsconfig.node16.json'], project);
      const { stdout } = await sh(process.execPath, ['dist/main.js'], project);
      expect(stdout).toContain('ok session v3 authPriv GET');
      expect(stdout).toContain('ok cli get against cli simulate');
      expect(stdout.trim().split('\n').at(-1)).toBe('consumer: all checks passed');
    }, 300_000);

    it('compiles under moduleResolution bundler', async () => {
      await sh(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], project);
    }, 300_000);

    it('compiles under the legacy node10 resolution (main, types and typesVersions)', async () => {
      await sh(process.execPath, [tsc, '-p', 'tsconfig.node10.json'], project);
    }, 300_000);

    it('require()s every package and entry point from CommonJS', async () => {
      const { stdout } = await sh(process.execPath, ['src/require.cjs'], project);
      expect(stdout.trim().split('\n').at(-1)).toBe('require: all checks passed');
    }, 300_000);
  });

  describe('the README examples (every ts block that imports a package), compiled strictly and run', () => {
    // An example talks to `udp:127.0.0.1:161`: here that is `snmpkit simulate` on a free port, serving the CLI's
    // sample device with sysLocation writable, public (read-only) and private (read-write) and the examples' v3 user.
    const AGENT = '127.0.0.1:161';
    let project: string;
    let simulate: ReturnType<typeof spawn> | undefined;
    let endpoint = '';
    const examples: { name: string; code: string }[] = [];
    for (const file of ['README.md', ...readdirSync(join(root, 'packages')).map((p) => `packages/${p}/README.md`)]) {
      let text = '';
      try {
        text = readFileSync(join(root, file), 'utf8');
      } catch {
        continue;
      }
      let n = 0;
      for (const [, code] of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
        if (!/^import /m.test(code!)) continue; // a fragment (an interface, a call shape), not an example
        examples.push({
          name: `${file.replace(/\/README\.md$|README\.md$/, '').replace(/^packages\//, '') || 'root'}-${++n}`,
          code: code!,
        });
      }
    }

    beforeAll(async () => {
      project = await consumerProject();
      const data = readFileSync(join(root, 'packages/cli/data/sample-device.snmprec'), 'latin1').replace(
        /^1\.3\.6\.1\.2\.1\.1\.6\.0\|.*$/m,
        '1.3.6.1.2.1.1.6.0|4:writecache|value=Lab 2',
      );
      writeFileSync(join(project, 'router.snmprec'), data, 'latin1');
      const bin = join(project, 'node_modules', '.bin', 'snmpkit');
      simulate = spawn(
        bin,
        [
          'simulate',
          '--data',
          'router.snmprec',
          '--listen',
          'udp:127.0.0.1:0',
          '--community',
          'public',
          '--rw-community',
          'private',
          '--user',
          'ops:SHA-256:auth-pass-123:AES:priv-pass-456',
        ],
        { cwd: project, env: cleanEnv, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      for await (const line of createInterface({ input: simulate.stdout! })) {
        const m = /^listening on udp:(\S+)/.exec(line);
        if (m?.[1]) {
          endpoint = m[1];
          break;
        }
      }
      if (!endpoint) throw new Error('snmpkit simulate ended before it listened (its stderr is above)');
      mkdirSync(join(project, 'readme'));
      for (const { name, code } of examples)
        writeFileSync(join(project, 'readme', `${name}.ts`), code.replaceAll(AGENT, endpoint));
      writeFileSync(
        join(project, 'tsconfig.readme.json'),
        JSON.stringify({
          extends: './tsconfig.node16.json',
          compilerOptions: { rootDir: 'readme', outDir: 'readme-dist' },
          files: [],
          include: ['readme'],
        }),
      );
    }, 300_000);
    afterAll(() => {
      simulate?.kill();
    });

    it('finds examples in the READMEs, and they talk only to loopback', () => {
      expect(examples.length).toBeGreaterThan(5);
      for (const { name, code } of examples) {
        // An IPv4 address where a peer is written (after udp:/tcp:, or with a port) must be loopback so that the example
        // runs; dotted numbers elsewhere are OIDs.
        const addresses = [
          ...code.matchAll(/(?:(?:udp|tcp)6?:\[?|peername: '|peer: ')(\d+\.\d+\.\d+\.\d+)|(\d+\.\d+\.\d+\.\d+):\d/g),
        ].map((m) => m[1] ?? m[2] ?? '');
        expect(
          addresses.filter((a) => !a.startsWith('127.')),
          name,
        ).toEqual([]);
      }
    });

    it('compile under the strict consumer settings (node16, noUncheckedIndexedAccess)', async () => {
      await sh(process.execPath, [tsc, '-p', 'tsconfig.readme.json'], project);
    }, 300_000);

    it('run without an error', async () => {
      for (const { name } of examples) {
        await sh(process.execPath, [join('readme-dist', `${name}.js`)], project);
      }
    }, 300_000);
  });
});
