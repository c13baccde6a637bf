import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex, hexToBytes } from '@snmpkit/ber';
import { engineIdFrom, randomEngineId } from '@snmpkit/usm';
import { AgentConfigError } from './errors.js';

/** The file a state directory keeps the engine's identity in (snmpd keeps oldEngineID and engineBoots likewise). */
export const ENGINE_STATE_FILE = 'snmpkit-engine.json';

/** The largest snmpEngineBoots (RFC 3414 §2.2.2): an engine that reaches it stays there. */
const MAX_BOOTS = 2147483647;

/** What the state directory holds: the engine ID (hex) and the boots of the last start or restart. */
interface StoredEngine {
  engineId: string;
  boots: number;
}

/** The engine an agent starts with, and how to record a later boots value (a restart). */
export interface EngineState {
  engineId: Uint8Array;
  boots: number;
  /** Records `boots` (written to a temporary file and renamed, so a crash leaves the old or the new state). */
  save(boots: number): void;
}

function read(path: string): StoredEngine | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AgentConfigError(`${path}: not JSON; remove it to start a new engine`);
  }
  const stored = parsed as Partial<StoredEngine> | null;
  if (
    typeof stored?.engineId !== 'string' ||
    !/^([0-9a-f]{2}){5,32}$/i.test(stored.engineId) ||
    !Number.isInteger(stored.boots) ||
    stored.boots! < 0 ||
    stored.boots! > MAX_BOOTS
  ) {
    throw new AgentConfigError(`${path}: expected { "engineId": HEX, "boots": N }; remove it to start a new engine`);
  }
  return { engineId: stored.engineId.toLowerCase(), boots: stored.boots! };
}

/**
 * The engine identity a simulator keeps in `dir` across starts. The rule:
 * - the engine ID is the one given, else the one stored, else a fresh random one (then stored);
 * - snmpEngineBoots is the stored value + 1 when the stored engine ID is the one in use (every start is a boot, as
 *   snmpd counts them), else 1 (a new engine); each restart while running raises and stores it again;
 * - the directory is created when missing; a stored file that cannot be read is an error, never silently replaced.
 */
export function loadEngineState(dir: string, givenEngineId?: string | Uint8Array): EngineState {
  const path = join(dir, ENGINE_STATE_FILE);
  const stored = read(path);
  const given = givenEngineId === undefined ? undefined : engineIdFrom(givenEngineId, 'engineId', true);
  const engineId = given ?? (stored ? hexToBytes(stored.engineId) : randomEngineId());
  const hex = bytesToHex(engineId);
  const boots = stored && stored.engineId === hex ? Math.min(stored.boots + 1, MAX_BOOTS) : 1;
  const save = (value: number): void => {
    mkdirSync(dir, { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ engineId: hex, boots: value })}\n`);
    renameSync(temporary, path);
  };
  save(boots);
  return { engineId, boots, save };
}
