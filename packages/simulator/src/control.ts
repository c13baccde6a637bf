import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { checkAction, ScenarioError, type ScenarioEvent, type ScenarioRunner } from './scenarios.js';

export interface ControlEndpointOptions {
  /** Applies the actions (its `devices` finds them by name). */
  runner: ScenarioRunner;
  /** Names of the devices, for GET /devices. */
  deviceNames?: () => readonly string[];
  /** A loopback address: 127.0.0.0/8, ::1 or localhost. Default 127.0.0.1. Anything else is refused. */
  host?: string;
  /** Default 0: a free port, picked when it starts. */
  port?: number;
}

/** A running control endpoint. */
export interface ControlEndpoint {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The largest request body taken, bytes: a command is a small JSON object. */
const MAX_BODY = 64 * 1024;

export function isLoopback(address: string): boolean {
  const a = address.replace(/^::ffff:/, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a) || a === '::1' || a === 'localhost';
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new ScenarioError(`a command of more than ${MAX_BODY} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * A small HTTP endpoint on loopback that drives a running simulator from another process (a test suite in any
 * language): `POST /action` with `{"device": "core-1", "action": "linkDown", "ifIndex": 2}` (device `*` for all; the
 * actions and arguments of ScenarioAction) answers `{"ok": true, "devices": N}`, or `{"ok": false, "error": "..."}`
 * with 400 (a bad command) or 404 (no such device); `GET /devices` lists the device names, `GET /events` what the
 * runner did. Binding to anything but a loopback address is refused, and so is a request from elsewhere.
 */
export async function startControlEndpoint(options: ControlEndpointOptions): Promise<ControlEndpoint> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) {
    throw new ScenarioError(`the control endpoint listens on loopback only (127.0.0.0/8, ::1), not on ${host}`);
  }
  const { runner } = options;
  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      reply(response, 500, { ok: false, error: error instanceof Error ? error.message : String(error) });
    });
  });
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isLoopback(request.socket.remoteAddress ?? '')) {
      reply(response, 403, { ok: false, error: 'loopback clients only' });
      return;
    }
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/devices') {
      reply(response, 200, { ok: true, devices: options.deviceNames?.() ?? [] });
      return;
    }
    if (request.method === 'GET' && path === '/events') {
      reply(response, 200, { ok: true, events: runner.events satisfies ScenarioEvent[] });
      return;
    }
    if (request.method !== 'POST' || path !== '/action') {
      reply(response, 404, { ok: false, error: 'expected POST /action, GET /devices or GET /events' });
      return;
    }
    let command: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(await readBody(request));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new ScenarioError('expected a JSON object like {"device": "*", "action": "reboot"}');
      }
      command = parsed as Record<string, unknown>;
    } catch (error) {
      reply(response, 400, {
        ok: false,
        error: error instanceof SyntaxError ? `not JSON: ${error.message}` : (error as Error).message,
      });
      return;
    }
    const { device = '*', ...rest } = command;
    try {
      if (typeof device !== 'string') throw new ScenarioError('device must be a name or "*"');
      const count = runner.apply(device, checkAction(rest));
      reply(response, 200, { ok: true, devices: count });
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      reply(response, /^no device/.test(error.message) ? 404 : 400, { ok: false, error: error.message });
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new ScenarioError(`control endpoint: cannot listen on ${host}:${options.port ?? 0}: ${error.message}`)),
    );
    server.listen(options.port ?? 0, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
