import { encodeVarBind, type Pdu, type SnmpValue, type VarBind } from '@snmpkit/ber';
import type { Device, ReadOutcome, RequestContext } from './device.js';
import { ErrorStatus, type ErrorStatusName, toV1ErrorStatus } from './status.js';
import type { OidView } from './views.js';

/** One varbind of a response, with its encoded TLV. */
export interface ResponseVarbind {
  readonly oid: string;
  readonly value: SnmpValue;
  readonly bytes: Uint8Array;
}

export interface ProcessOptions {
  /** Wire version of the request: 0 (v1), 1 (v2c), 3 (v3). */
  version: 0 | 1 | 3;
  device: Device;
  /** Whether the requester may SET (a read-write community or user). */
  canWrite: boolean;
  ctx: RequestContext;
  /** Whether a response whose varbind TLVs add up to `varbindsLength` bytes fits the size limit. */
  fits(varbindsLength: number): boolean;
  /** An error-status injected by a fault for this OID, if any. */
  injectedError?: (oid: string) => ErrorStatusName | undefined;
  /** snmpd's GETBULK caps; none when absent. */
  getbulkLimits?: GetbulkLimits;
  /** The MIB view reads are limited to (VACM): absent, everything. */
  readView?: OidView | undefined;
  /** The MIB view SETs are limited to (VACM): absent, everything. */
  writeView?: OidView | undefined;
}

/** snmpd's maxGetbulkRepeats and maxGetbulkResponses: 0 for no cap. */
export interface GetbulkLimits {
  maxRepeats: number;
  maxResponses: number;
}

/**
 * The repetitions a GETBULK gets, as snmpd 5.9 computes them (snmp_agent.c): max-repetitions cut to maxRepeats, then
 * to floor(maxResponses / repeaters) when the repeated varbinds would exceed maxResponses (observed on loopback:
 * 1 repeater and max-repetitions 1000 give 100, 3 give 33 each, 101 give none; non-repeaters come on top).
 */
export function getbulkRepetitions(maxRepetitions: number, repeaters: number, limits?: GetbulkLimits): number {
  let m = Math.max(maxRepetitions, 0);
  if (!limits || repeaters === 0) return m;
  if (limits.maxRepeats > 0) m = Math.min(m, limits.maxRepeats);
  if (limits.maxResponses > 0 && m * repeaters > limits.maxResponses) m = Math.floor(limits.maxResponses / repeaters);
  return m;
}

export interface ProcessResult {
  errorStatus: number;
  errorIndex: number;
  varbinds: ResponseVarbind[];
  /** Hold the response this long (delay variations), ms. */
  delayMs: number;
  /** Set when no response fits, even a tooBig one: the request is dropped (snmpSilentDrops). */
  silentDrop?: boolean;
  /** Set when a variation drops the response (snmpsim's delay above 99,999 ms). */
  dropped?: boolean;
}

/** GETBULK responses are cut by size anyway; this bounds the work for an absurd max-repetitions. */
const MAX_BULK_VARBINDS = 65_535;

const isCounter64 = (v: SnmpValue) => v.type === 'Counter64';

function echo(varbinds: readonly VarBind[]): ResponseVarbind[] {
  return varbinds.map((vb) => ({ oid: vb.oid, value: vb.value, bytes: encodeVarBind(vb) }));
}

function totalLength(varbinds: readonly ResponseVarbind[]): number {
  let n = 0;
  for (const vb of varbinds) n += vb.bytes.length;
  return n;
}

function exception(oid: string, type: 'NoSuchObject' | 'NoSuchInstance' | 'EndOfMibView'): ResponseVarbind {
  const value = { type } as SnmpValue;
  return { oid, value, bytes: encodeVarBind({ oid, value }) };
}

/** Thrown when a variation drops the response: the whole request goes unanswered (snmpsim's NoDataNotification). */
class DropRequest {}

class RequestError {
  constructor(
    readonly status: number,
    readonly index: number,
  ) {}
}

/**
 * Processes a GET, GETNEXT, GETBULK or SET (RFC 3416 §4.2) against a device, with SNMPv1's semantics and error
 * mapping (RFC 3584 §4) for version 0. Returns undefined for a PDU an agent does not answer.
 */
export function processPdu(pdu: Pdu, options: ProcessOptions): ProcessResult | undefined {
  const v1 = options.version === 0;
  let result: ProcessResult;
  try {
    switch (pdu.type) {
      case 'GetRequest':
        result = get(pdu.varbinds, options);
        break;
      case 'GetNextRequest':
        result = getNext(pdu.varbinds, options);
        break;
      case 'GetBulkRequest':
        if (v1) return undefined; // RFC 3584 §4.1: no GetBulk in SNMPv1
        return getBulk(pdu.nonRepeaters, pdu.maxRepetitions, pdu.varbinds, options);
      case 'SetRequest':
        result = set(pdu.varbinds, options);
        break;
      default:
        return undefined;
    }
  } catch (error) {
    if (error instanceof DropRequest) return { errorStatus: 0, errorIndex: 0, varbinds: [], delayMs: 0, dropped: true };
    if (!(error instanceof RequestError)) throw error;
    result = { errorStatus: error.status, errorIndex: error.index, varbinds: echo(pdu.varbinds), delayMs: 0 };
  }
  if (v1 && result.errorStatus !== 0) result.errorStatus = toV1ErrorStatus(result.errorStatus);
  return fitOrTooBig(result, pdu.varbinds, options);
}

function fitOrTooBig(result: ProcessResult, request: readonly VarBind[], options: ProcessOptions): ProcessResult {
  if (options.fits(totalLength(result.varbinds))) return result;
  // RFC 1157 §4.1.2 answers tooBig with the request's varbinds; RFC 3416 §4.2.1 with none.
  const varbinds = options.version === 0 ? echo(request) : [];
  if (options.fits(totalLength(varbinds))) {
    return { errorStatus: ErrorStatus.tooBig, errorIndex: 0, varbinds, delayMs: result.delayMs };
  }
  if (options.fits(0)) return { errorStatus: ErrorStatus.tooBig, errorIndex: 0, varbinds: [], delayMs: result.delayMs };
  return { ...result, silentDrop: true };
}

/** A read that throws (a user's function, a value that cannot be encoded) answers genErr at its varbind. */
function guarded<T>(index: number, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof RequestError || error instanceof DropRequest) throw error;
    throw new RequestError(ErrorStatus.genErr, index);
  }
}

function checkInjected(oid: string, index: number, options: ProcessOptions): void {
  const status = options.injectedError?.(oid);
  if (status) throw new RequestError(ErrorStatus[status], index);
}

function get(request: readonly VarBind[], options: ProcessOptions): ProcessResult {
  const v1 = options.version === 0;
  const varbinds: ResponseVarbind[] = [];
  let delayMs = 0;
  for (let i = 0; i < request.length; i++) {
    const oid = request[i]!.oid;
    checkInjected(oid, i + 1, options);
    // RFC 3416 §4.2.1: an OID outside the MIB view is noSuchObject (noSuchName in SNMPv1, RFC 3584 §4.1).
    const r =
      options.readView && !options.readView.includes(oid)
        ? 'NoSuchObject'
        : guarded(i + 1, () => options.device.read(oid, options.ctx));
    if (typeof r === 'string') {
      if (v1) throw new RequestError(ErrorStatus.noSuchName, i + 1);
      varbinds.push(exception(oid, r));
      continue;
    }
    if (r.drop) throw new DropRequest();
    if (r.errorStatus) throw new RequestError(ErrorStatus[r.errorStatus], i + 1);
    if (v1 && isCounter64(r.value)) throw new RequestError(ErrorStatus.noSuchName, i + 1);
    delayMs = Math.max(delayMs, r.delayMs);
    varbinds.push(r);
  }
  return { errorStatus: 0, errorIndex: 0, varbinds, delayMs };
}

function getNext(request: readonly VarBind[], options: ProcessOptions): ProcessResult {
  const v1 = options.version === 0;
  const skip = v1 ? isCounter64 : undefined;
  const varbinds: ResponseVarbind[] = [];
  let delayMs = 0;
  for (let i = 0; i < request.length; i++) {
    const oid = request[i]!.oid;
    const r = guarded(i + 1, () => readNextInView(oid, options, skip));
    if (!r) {
      if (v1) throw new RequestError(ErrorStatus.noSuchName, i + 1);
      varbinds.push(exception(oid, 'EndOfMibView'));
      continue;
    }
    checkInjected(r.oid, i + 1, options);
    if (r.drop) throw new DropRequest();
    if (r.errorStatus) throw new RequestError(ErrorStatus[r.errorStatus], i + 1);
    delayMs = Math.max(delayMs, r.delayMs);
    varbinds.push(r);
  }
  return { errorStatus: 0, errorIndex: 0, varbinds, delayMs };
}

/**
 * The successor of an OID within the read view: where the device's successor lies outside the view, the search goes
 * on from where the view says its next OID can be at the earliest, jumping over an excluded subtree in one step.
 */
function readNextInView(
  oid: string,
  options: ProcessOptions,
  skip: ((value: SnmpValue) => boolean) | undefined,
): ReadOutcome | undefined {
  const view = options.readView;
  let found = options.device.readNext(oid, options.ctx, skip);
  if (!view) return found;
  while (found && !view.includes(found.oid)) {
    const resume = view.resumeAfter(found.oid);
    if (!resume) return undefined;
    found = options.device.readNext(resume.oid, options.ctx, skip, resume.inclusive);
  }
  return found;
}

/** RFC 3416 §4.2.3, cutting the response where the next varbind would not fit. */
function getBulk(
  nonRepeatersIn: number,
  maxRepetitionsIn: number,
  request: readonly VarBind[],
  options: ProcessOptions,
): ProcessResult {
  const n = Math.min(Math.max(nonRepeatersIn, 0), request.length);
  const r = request.length - n;
  const m = getbulkRepetitions(maxRepetitionsIn, r, options.getbulkLimits);
  const varbinds: ResponseVarbind[] = [];
  let length = 0;
  let delayMs = 0;
  let truncated = false;
  const add = (vb: ResponseVarbind): boolean => {
    if (!options.fits(length + vb.bytes.length) || varbinds.length >= MAX_BULK_VARBINDS) {
      truncated = true;
      return false;
    }
    varbinds.push(vb);
    length += vb.bytes.length;
    return true;
  };
  const next = (oid: string, index: number): ResponseVarbind => {
    const found = guarded(index, () => readNextInView(oid, options, undefined));
    if (!found) return exception(oid, 'EndOfMibView');
    checkInjected(found.oid, index, options);
    if (found.drop) throw new DropRequest();
    if (found.errorStatus) throw new RequestError(ErrorStatus[found.errorStatus], index);
    delayMs = Math.max(delayMs, found.delayMs);
    return found;
  };
  try {
    for (let i = 0; i < n; i++) if (!add(next(request[i]!.oid, i + 1))) break;
    const cursors = request.slice(n).map((vb) => vb.oid);
    for (let rep = 0; rep < m && r > 0 && !truncated; rep++) {
      let allEnded = true;
      for (let j = 0; j < r; j++) {
        const vb = next(cursors[j]!, n + j + 1);
        if (!add(vb)) break;
        if (vb.value.type !== 'EndOfMibView') allEnded = false;
        cursors[j] = vb.oid;
      }
      // Past the end of the MIB for every repeater: more repetitions would only repeat endOfMibView.
      if (allEnded) break;
    }
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    return fitOrTooBig(
      { errorStatus: error.status, errorIndex: error.index, varbinds: echo(request), delayMs: 0 },
      request,
      options,
    );
  }
  if (varbinds.length === 0 && truncated) {
    // Not even one varbind fits: that is tooBig, not an empty answer a walker would take for the end.
    const tooBig = { errorStatus: ErrorStatus.tooBig, errorIndex: 0, varbinds: [], delayMs };
    return options.fits(0) ? tooBig : { ...tooBig, silentDrop: true };
  }
  return { errorStatus: 0, errorIndex: 0, varbinds, delayMs };
}

/** RFC 3416 §4.2.5: every varbind is checked before any is written; a failed write undoes the others. */
function set(request: readonly VarBind[], options: ProcessOptions): ProcessResult {
  const { device, ctx } = options;
  for (let i = 0; i < request.length; i++) {
    const vb = request[i]!;
    if (!options.canWrite) throw new RequestError(ErrorStatus.noAccess, i + 1);
    // RFC 3416 §4.2.5: an OID outside the write view is noAccess (noSuchName in SNMPv1).
    if (options.writeView && !options.writeView.includes(vb.oid)) throw new RequestError(ErrorStatus.noAccess, i + 1);
    checkInjected(vb.oid, i + 1, options);
    if (request.findIndex((other) => other.oid === vb.oid) !== i) {
      throw new RequestError(ErrorStatus.inconsistentName, i + 1);
    }
    const refused = guarded(i + 1, () => device.checkSet(vb.oid, vb.value, ctx));
    if (refused) throw new RequestError(ErrorStatus[refused], i + 1);
  }
  const undo: (() => void)[] = [];
  for (let i = 0; i < request.length; i++) {
    const vb = request[i]!;
    try {
      undo.push(device.commitSet(vb.oid, vb.value, ctx));
    } catch {
      for (const u of undo.reverse()) {
        try {
          u();
        } catch {
          throw new RequestError(ErrorStatus.undoFailed, i + 1);
        }
      }
      throw new RequestError(ErrorStatus.commitFailed, i + 1);
    }
  }
  let delayMs = 0;
  for (const vb of request) {
    const held = device.writeDelay(vb.oid, vb.value, ctx);
    if (held.drop) throw new DropRequest();
    delayMs = Math.max(delayMs, held.delayMs);
  }
  return { errorStatus: 0, errorIndex: 0, varbinds: echo(request), delayMs };
}
