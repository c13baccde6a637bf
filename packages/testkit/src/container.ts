/**
 * Container mode of startSnmpd: the same generated configuration, run by Net-SNMP's snmpd inside a Docker container
 * with host networking (loopback ports, like the process mode; never a bridge network), through testcontainers.
 *
 * The image is docker/snmpd/Dockerfile of this repository (`docker compose build snmpd`, or
 * `docker build --network host -t snmpkit/snmpd:latest docker/snmpd`); `options.image` or SNMPKIT_SNMPD_IMAGE name
 * another. testcontainers is an optional peer dependency, loaded only here. Unless they are set already, this module
 * sets TESTCONTAINERS_RYUK_DISABLED=true (the Ryuk reaper is an image of its own, which machines without a registry
 * cannot pull; stop() removes the container instead) and TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configErrors,
  configErrorsError,
  configLines,
  endpointsFor,
  freePort,
  PortLostError,
  probeTransport,
  type SnmpdInstance,
  type StartSnmpdOptions,
  WRITABLE_OBJECT,
  waitUntilAnswering,
} from './snmpd.js';

export const DEFAULT_SNMPD_IMAGE = 'snmpkit/snmpd:latest';

type TestcontainersModule = typeof import('testcontainers');

async function loadTestcontainers(): Promise<TestcontainersModule> {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  try {
    return await import('testcontainers');
  } catch (error) {
    throw new Error(`startSnmpd: mode 'container' needs the testcontainers package (npm install -D testcontainers)`, {
      cause: error,
    });
  }
}

export async function startContainerOnce(options: StartSnmpdOptions): Promise<SnmpdInstance> {
  const { GenericContainer, Wait } = await loadTestcontainers();
  const image = options.image ?? process.env.SNMPKIT_SNMPD_IMAGE ?? DEFAULT_SNMPD_IMAGE;
  const transports = options.transports ?? ['udp', 'udp6', 'tcp'];
  const probeOn = probeTransport(transports);
  const port = await freePort(transports);
  const config = `${configLines(options, port, transports).join('\n')}\n`;
  // A copy of the configuration on the host, for the caller to read (the process mode keeps its file there too).
  const dir = await mkdtemp(join(tmpdir(), 'snmpkit-snmpd-container-'));
  const configPath = join(dir, 'snmpd.conf');
  await writeFile(configPath, config);
  let logs = '';
  let container: Awaited<ReturnType<InstanceType<TestcontainersModule['GenericContainer']>['start']>>;
  try {
    container = await new GenericContainer(image)
      .withNetworkMode('host')
      .withCopyContentToContainer([{ content: config, target: '/etc/snmp/snmpkit.conf' }])
      .withCommand(['snmpd', '-f', '-Lo', '-C', '-c', '/etc/snmp/snmpkit.conf', ...(options.extraArgs ?? [])])
      .withEnvironment({ MIBS: '', MIBDIRS: '/nonexistent' })
      .withWaitStrategy(Wait.forLogMessage(/NET-SNMP version/))
      .withStartupTimeout(options.startTimeoutMs ?? 60_000)
      .withLogConsumer((stream) => stream.on('data', (chunk: Buffer | string) => (logs += chunk.toString())))
      .start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    const text = `${logs}\n${error instanceof Error ? error.message : String(error)}`;
    if (/Error opening specified endpoint/.test(text)) throw new PortLostError(`port ${port} was taken`);
    if (/No such image|not found|pull access denied/i.test(text)) {
      throw new Error(
        `startSnmpd: image ${image} is missing; build it with: docker build --network host -t ${image} docker/snmpd`,
        { cause: error },
      );
    }
    throw error;
  }
  const communities = {
    readOnly: options.readOnlyCommunity ?? 'public',
    readWrite: options.readWriteCommunity ?? 'private',
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await container.stop({ remove: true, timeout: 3_000 });
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(port, communities.readOnly, options.startTimeoutMs ?? 60_000, () => stopped, probeOn);
  } catch (error) {
    await stop();
    if (/Error opening specified endpoint/.test(logs)) throw new PortLostError(`port ${port} was taken`);
    throw new Error(`snmpd in ${image} did not answer; its log:\n${logs}`, { cause: error });
  }
  const errors = configErrors(logs);
  if (errors.length > 0) {
    await stop();
    throw configErrorsError(errors, logs);
  }
  return {
    host: '127.0.0.1',
    port,
    endpoints: endpointsFor(port, transports),
    communities,
    writableOid: WRITABLE_OBJECT,
    mode: 'container',
    pid: undefined,
    containerId: container.getId(),
    configPath,
    persistentDir: '/var/lib/snmp',
    log: async () => logs,
    stop,
  };
}
