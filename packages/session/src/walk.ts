import { type BasicPdu, compareOids, isException, oidStartsWith, type SnmpValue, type VarBind } from '@snmpkit/ber';
import { GeneralError, RequestAbortedError, RequestTimeoutError, ResponseError } from './errors.js';
import type { RequestPdu } from './message-processing.js';
import { basicPdu, checkResponse, NULL, type RequestOptions } from './pdu.js';
import { ErrorStatus } from './snmperr.js';
import { checkBulkCounts, checkOid } from './validate.js';

export interface WalkOptions extends RequestOptions {
  /** max-repetitions per GETBULK (v2c). Default: the session's `maxRepetitions`. */
  maxRepetitions?: number;
  /**
   * When the subtree holds nothing, GET the root itself and yield it if it exists, as snmpwalk does (so that a
   * walk of `sysDescr.0` gives sysDescr.0). Default true; Net-SNMP's -CI turns it off.
   */
  getRootIfEmpty?: boolean;
  /**
   * true: GETBULK (v2c, v3), with the session's retries. false: GETNEXT. Default: GETBULK unless the session was
   * opened with `useGetBulk: false` or has evidence that the agent lacks GETBULK (the fallback, retried later).
   */
  getBulk?: boolean;
}

/** A table's rows keyed by index (the OID arcs after entry.column, dotted); each row maps column number to value. */
export type TableRows = Map<string, Map<number, SnmpValue>>;

/** What a walk needs of the session's dispatcher: requests with the session's retries (or fewer), and cancelling. */
export interface WalkRequests {
  request(pdu: RequestPdu, signal?: AbortSignal, retries?: number): Promise<BasicPdu>;
  cancel(pdu: RequestPdu, reason: Error): void;
}

/**
 * GETBULK probes in a row that went unanswered while the GETNEXT of the same OID sent after each was answered: the
 * evidence that an agent drops GETBULK (snmpjs does) rather than a lossy link having lost one. On a link losing
 * 30 % of datagrams, three GETBULKs lost in a row with their GETNEXTs through happen in under 3 % of first walks,
 * and even then the session tries GETBULK again later (RETRY_BULK_AFTER_WALKS).
 */
export const UNANSWERED_PROBES_FOR_FALLBACK = 3;

/** After the fallback to GETNEXT, every this-many-th walk tries GETBULK again (the agent may have been replaced). */
export const RETRY_BULK_AFTER_WALKS = 10;

/** One request of a walk: its varbinds (null: v1's noSuchName, the end) and how to cancel it. */
interface WalkStep {
  result: Promise<VarBind[] | null>;
  cancel(reason: Error): void;
}

/**
 * The walk engine of a session: one loop over GETNEXT or GETBULK steps (as gosnmp's walk.go), with one response
 * read ahead, the end of the subtree, endOfMibView, v1's noSuchName and non-increasing OIDs, and what the session
 * knows of the agent's GETBULK (the fallback to GETNEXT for agents that lack it, on evidence, retried later).
 */
export class WalkEngine {
  /**
   * What the session knows of the agent's GETBULK: 'unknown' until one is answered ('works'), or until the agent
   * showed that it lacks GETBULK ('unsupported': an error response to a GETBULK whose GETNEXT was answered, or
   * UNANSWERED_PROBES_FOR_FALLBACK unanswered in a row whose GETNEXTs were), or 'off' (opened with useGetBulk: false).
   */
  private bulk: 'unknown' | 'works' | 'unsupported' | 'off';
  /** GETBULK probes unanswered in a row while their GETNEXTs were answered (see UNANSWERED_PROBES_FOR_FALLBACK). */
  private unansweredProbes = 0;
  /** Walks started since the fallback; at RETRY_BULK_AFTER_WALKS the walk tries GETBULK again. */
  private walksSinceFallback = 0;

  constructor(
    private readonly requests: WalkRequests,
    private readonly wireVersion: 0 | 1 | 3,
    private readonly maxRepetitions: number,
    useGetBulk: boolean,
  ) {
    this.bulk = useGetBulk ? 'unknown' : 'off';
  }

  /** A GETBULK of the session was answered: walks use GETBULK without probing. */
  learnBulkWorks(): void {
    if (this.bulk === 'off') return;
    this.bulk = 'works';
    this.unansweredProbes = 0;
  }

  /** The agent showed it lacks GETBULK: walks use GETNEXT, and try GETBULK again after RETRY_BULK_AFTER_WALKS. */
  private fallBack(): void {
    if (this.bulk !== 'unknown') return;
    this.bulk = 'unsupported';
    this.walksSinceFallback = 0;
  }

  /**
   * A walk starts: after the fallback, every RETRY_BULK_AFTER_WALKS-th walk probes GETBULK again. The evidence
   * found before stands: one more unanswered probe (or an error) is enough to fall back again.
   */
  private startWalk(): void {
    if (this.bulk !== 'unsupported' || ++this.walksSinceFallback < RETRY_BULK_AFTER_WALKS) return;
    this.bulk = 'unknown';
    this.unansweredProbes = UNANSWERED_PROBES_FOR_FALLBACK - 1;
  }

  private send(pdu: RequestPdu, signal: AbortSignal | undefined): Promise<VarBind[]> {
    return this.requests.request(pdu, signal).then((response) => checkResponse(response, pdu));
  }

  /**
   * One step of a walk from `from`: the response's varbinds, or null when a v1 agent says noSuchName (the end),
   * and a way to cancel the request. `bulk` says whether the step is a GETBULK.
   */
  private walkStep(from: string, bulk: boolean, maxRepetitions: number, signal: AbortSignal | undefined): WalkStep {
    const varbinds = [{ oid: from, value: NULL }];
    const pdu: RequestPdu = bulk
      ? { type: 'GetBulkRequest', requestId: 0, nonRepeaters: 0, maxRepetitions, varbinds }
      : basicPdu('GetNextRequest', varbinds);
    let result: Promise<VarBind[] | null> = this.send(pdu, signal);
    if (bulk) {
      result = result.then((vbs) => {
        this.learnBulkWorks();
        return vbs;
      });
    }
    if (this.wireVersion === 0) result = result.catch(endOnNoSuchName);
    return { cancel: (reason) => this.requests.cancel(pdu, reason), result };
  }

  /**
   * A walk's step while the session does not know whether the agent answers GETBULK: one GETBULK attempt. If it is
   * answered, GETBULK works. If it times out, or is answered with an error (other than tooBig), one GETNEXT of the
   * same OID (with the session's retries) gives this step's varbinds; when that is answered, the GETBULK's failure
   * is evidence: an error response is enough to fall back to GETNEXT (the agent refuses GETBULK), a timeout counts
   * towards UNANSWERED_PROBES_FOR_FALLBACK (one lost datagram is not). The walk's next step probes again until then.
   */
  private probeBulkStep(from: string, maxRepetitions: number, signal: AbortSignal | undefined): WalkStep {
    const pdu: RequestPdu = {
      type: 'GetBulkRequest',
      requestId: 0,
      nonRepeaters: 0,
      maxRepetitions,
      varbinds: [{ oid: from, value: NULL }],
    };
    let cancelCurrent = (reason: Error) => this.requests.cancel(pdu, reason);
    let cancelled = false;
    const bulk = this.requests.request(pdu, signal, 0).then((response) => {
      // An error response is no sign that GETBULK works (below: it is a sign of the opposite).
      const varbinds = checkResponse(response, pdu);
      this.learnBulkWorks();
      return varbinds;
    });
    const result = bulk.catch((error: unknown) => {
      const refused = error instanceof ResponseError && error.status !== ErrorStatus.tooBig;
      if (!(error instanceof RequestTimeoutError || refused) || cancelled) throw error;
      const getNext = this.walkStep(from, false, maxRepetitions, signal);
      cancelCurrent = getNext.cancel;
      return getNext.result.then((varbinds) => {
        if (refused || ++this.unansweredProbes >= UNANSWERED_PROBES_FOR_FALLBACK) this.fallBack();
        return varbinds;
      });
    });
    return {
      cancel: (reason) => {
        cancelled = true;
        cancelCurrent(reason);
      },
      result,
    };
  }

  /**
   * Every object under `root` (default mib-2), in order: GETBULK on v2c, GETNEXT on v1. Ends at the end of the
   * subtree, on endOfMibView, or on v1's noSuchName; an OID that does not increase fails with GeneralError
   * SNMPERR_OID_NONINCREASING rather than looping. Use with `for await`; breaking out stops the walk. Reads one
   * response ahead, as walkPages does: breaking out cancels the request already sent for the next page.
   */
  walk(root = '1.3.6.1.2.1', options: WalkOptions = {}): AsyncIterableIterator<VarBind> {
    // Varbinds come a response at a time: hand them out from the current page with already-settled promises,
    // which costs far less per varbind than an async generator's yield.
    const pages = this.pages(root, options);
    let page: VarBind[] = [];
    let next = 0;
    const DONE: IteratorResult<VarBind> = { done: true, value: undefined };
    const iterator: AsyncIterableIterator<VarBind> = {
      next: () => {
        if (next < page.length) return Promise.resolve({ done: false, value: page[next++]! });
        return pages.next().then((r): IteratorResult<VarBind> | Promise<IteratorResult<VarBind>> => {
          if (r.done) return DONE;
          page = r.value;
          next = 0;
          return iterator.next();
        });
      },
      return: async () => {
        await pages.return();
        page = [];
        return DONE;
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /**
   * The walk one response at a time (each page non-empty, in order). Reads one response ahead: the request for
   * the next page leaves as soon as a page arrives, while the caller works on it. When the caller stops early,
   * that request is cancelled (its reply, when it comes, is counted in stats.droppedLate).
   */
  async *pages(root = '1.3.6.1.2.1', options: WalkOptions = {}): AsyncGenerator<VarBind[], void, undefined> {
    const walk = this.begin(root, options);
    const step = (from: string) => {
      const next = walk.step(from);
      next.result.catch(() => {}); // awaited below; this only keeps an abandoned read-ahead from being "unhandled"
      return next;
    };
    let last = walk.first;
    let count = 0;
    let pending = step(last);
    try {
      for (;;) {
        const varbinds = await pending.result;
        if (varbinds === null) break;
        const scan = scanPage(varbinds, walk.base, last);
        last = scan.last;
        if (!scan.end && !scan.nonIncreasing) pending = step(last);
        if (scan.keep > 0) {
          count += scan.keep;
          // What came before a non-increasing OID in this response is good: hand it out, then fail.
          yield scan.keep === varbinds.length ? varbinds : varbinds.slice(0, scan.keep);
        }
        if (scan.nonIncreasing) throw scan.nonIncreasing;
        if (scan.end) break;
      }
    } finally {
      // Stopped early (the caller broke out, or an error): the request read ahead is not wanted any more.
      pending.cancel(WALK_STOPPED);
    }
    if (count === 0 && walk.getRootIfEmpty) {
      const vb = await this.rootIfEmpty(walk.base, options.signal);
      if (vb) yield [vb];
    }
  }

  /**
   * Where a walk of `root` starts and how it steps (GETBULK, GETNEXT, or a GETBULK probe, as the session knows the
   * agent). Throws GeneralError for a bad root or max-repetitions.
   */
  private begin(root: string, options: WalkOptions): WalkStart {
    // A root of one arc (".1", the whole tree) has no BER encoding: start from root.0, as Net-SNMP encodes it,
    // which lies before everything else under the root.
    const singleArc = /^\.?[012]$/.test(root);
    const base = singleArc ? root.replace('.', '') : checkOid(root, 'walk root');
    const maxRepetitions = options.maxRepetitions ?? this.maxRepetitions;
    checkWalkRepetitions(maxRepetitions, 'walk option maxRepetitions');
    // v1 has no GETBULK; otherwise the walk's option, else what the session knows of the agent.
    const forced = this.wireVersion === 0 ? false : options.getBulk;
    if (forced === undefined) this.startWalk();
    const signal = options.signal;
    return {
      base,
      first: singleArc ? `${base}.0` : base,
      getRootIfEmpty: !singleArc && (options.getRootIfEmpty ?? true),
      step: (from) =>
        forced === undefined && this.bulk === 'unknown'
          ? this.probeBulkStep(from, maxRepetitions, signal)
          : this.walkStep(from, forced ?? this.bulk === 'works', maxRepetitions, signal),
    };
  }

  /** A walk that found nothing under `base`: GET `base` itself, as snmpwalk does; undefined when it does not exist. */
  private async rootIfEmpty(base: string, signal: AbortSignal | undefined): Promise<VarBind | undefined> {
    let vb: VarBind | undefined;
    try {
      [vb] = await this.send(basicPdu('GetRequest', [{ oid: base, value: NULL }]), signal);
    } catch (error) {
      if (error instanceof ResponseError && error.status === ErrorStatus.noSuchName) return undefined;
      throw error;
    }
    return vb && !isException(vb.value) ? vb : undefined;
  }

  /**
   * Collects a walk into an array: the same steps as `pages` (one response read ahead), chained by callbacks rather
   * than an async generator, which would cost a poller walking thousands of agents several promises per page.
   */
  all(root = '1.3.6.1.2.1', options: WalkOptions = {}): Promise<VarBind[]> {
    let walk: WalkStart;
    try {
      walk = this.begin(root, options);
    } catch (error) {
      return Promise.reject(error);
    }
    const out: VarBind[] = [];
    let last = walk.first;
    return new Promise<VarBind[]>((resolve, reject) => {
      const done = () => {
        if (out.length > 0 || !walk.getRootIfEmpty) {
          resolve(out);
          return;
        }
        this.rootIfEmpty(walk.base, options.signal).then((vb) => {
          if (vb) out.push(vb);
          resolve(out);
        }, reject);
      };
      const onPage = (varbinds: VarBind[] | null): void => {
        if (varbinds === null) {
          done();
          return;
        }
        const scan = scanPage(varbinds, walk.base, last);
        last = scan.last;
        if (!scan.end && !scan.nonIncreasing) walk.step(last).result.then(onPage, reject);
        for (let i = 0; i < scan.keep; i++) out.push(varbinds[i]!);
        if (scan.nonIncreasing) reject(scan.nonIncreasing);
        else if (scan.end) done();
      };
      walk.step(last).result.then(onPage, reject);
    });
  }

  /**
   * A conceptual table (RFC 2578 §7.1.12) by the OID of the table (its entry is table.1): rows keyed by index,
   * each a map from column number to value, in the agent's index order.
   */
  async table(tableOid: string, options: WalkOptions = {}): Promise<TableRows> {
    const entry = `${checkOid(tableOid, 'table OID')}.1`;
    const rows: TableRows = new Map();
    for await (const vb of this.walk(entry, { ...options, getRootIfEmpty: false })) {
      const rest = vb.oid.slice(entry.length + 1);
      const dot = rest.indexOf('.');
      if (dot < 0) continue; // not a columnar instance
      const column = Number(rest.slice(0, dot));
      const index = rest.slice(dot + 1);
      let row = rows.get(index);
      if (!row) {
        row = new Map();
        rows.set(index, row);
      }
      row.set(column, vb.value);
    }
    return rows;
  }
}

/** Where a walk starts and how it steps (WalkEngine.begin). */
interface WalkStart {
  /** The subtree walked: varbinds outside it end the walk. */
  base: string;
  /** The OID of the first step. */
  first: string;
  /** Whether a walk that found nothing GETs the root itself. */
  getRootIfEmpty: boolean;
  step(from: string): WalkStep;
}

/** What one response of a walk gives: its first `keep` varbinds, whether the walk ends, the last OID kept. */
interface PageScan {
  keep: number;
  end: boolean;
  last: string;
  /** An OID that did not increase: the walk fails with this after the varbinds kept. */
  nonIncreasing: GeneralError | undefined;
}

/**
 * Reads a walk's response after `last`: it ends at the first varbind outside `base` or endOfMibView (or when empty),
 * and fails at the first OID that does not increase.
 */
function scanPage(varbinds: VarBind[], base: string, last: string): PageScan {
  let end = varbinds.length === 0;
  let keep = 0;
  let nonIncreasing: GeneralError | undefined;
  for (const vb of varbinds) {
    const place = vb.value.type === 'EndOfMibView' ? OUTSIDE : placeInWalk(vb.oid, last, base);
    if (place === OUTSIDE) {
      end = true;
      break;
    }
    if (place === NOT_AFTER) {
      nonIncreasing = new GeneralError('SNMPERR_OID_NONINCREASING', { detail: `${vb.oid} after ${last}` });
      break;
    }
    last = vb.oid;
    keep++;
  }
  return { keep, end, last, nonIncreasing };
}

/** placeInWalk's answers: outside the subtree walked; in it but not after the last OID; in it and after. */
export const OUTSIDE = 0;
export const NOT_AFTER = 1;
export const AFTER = 2;

/**
 * Where `oid` stands in a walk of `base` whose last OID is `last` (`base` itself, or an OID under it): OUTSIDE
 * (`oidStartsWith(oid, base)` is false), NOT_AFTER (`compareOids(oid, last) <= 0`) or AFTER. The same answers as
 * those two functions, in one pass over the characters the two OIDs share: a walk asks this of every varbind, and
 * the two calls cost more than decoding the response. What it does not settle at once (a leading dot, an arc with
 * a leading zero) it leaves to them.
 */
export function placeInWalk(oid: string, last: string, base: string): typeof OUTSIDE | typeof NOT_AFTER | typeof AFTER {
  const lo = oid.length;
  const ll = last.length;
  const lb = base.length;
  if (oid.charCodeAt(0) === DOT || last.charCodeAt(0) === DOT || base.charCodeAt(0) === DOT) {
    return placeInWalkSlowly(oid, last, base);
  }
  const n = lo < ll ? lo : ll;
  let i = 0;
  while (i < n && oid.charCodeAt(i) === last.charCodeAt(i)) i++;
  // `last` starts with `base`: an OID that leaves it within base's characters is outside, as is one whose arc there
  // goes on (1.3.6.12 is not under 1.3.6.1).
  if (i < lb || (lo > lb && oid.charCodeAt(lb) !== DOT)) return OUTSIDE;
  // Where the arc that holds the first difference starts: an arc with a leading zero (non-canonical) is not
  // compared by its length.
  let start = i;
  while (start > 0 && oid.charCodeAt(start - 1) !== DOT) start--;
  if (oid.charCodeAt(start) === ZERO || last.charCodeAt(start) === ZERO) return placeInWalkSlowly(oid, last, base);
  // One is the other, or a prefix of it (whole arcs or not: 1.3.6.1 sorts before 1.3.6.12 either way).
  if (i === n) return lo > ll ? AFTER : NOT_AFTER;
  // They differ inside an arc: the longer arc is the larger number, else the differing digit decides.
  let endO = i;
  while (endO < lo && oid.charCodeAt(endO) !== DOT) endO++;
  let endL = i;
  while (endL < ll && last.charCodeAt(endL) !== DOT) endL++;
  if (endO !== endL) return endO > endL ? AFTER : NOT_AFTER;
  return oid.charCodeAt(i) > last.charCodeAt(i) ? AFTER : NOT_AFTER;
}

const DOT = 46;
const ZERO = 48;

function placeInWalkSlowly(oid: string, last: string, base: string): typeof OUTSIDE | typeof NOT_AFTER | typeof AFTER {
  if (!oidStartsWith(oid, base)) return OUTSIDE;
  return compareOids(oid, last) <= 0 ? NOT_AFTER : AFTER;
}

/**
 * The reason a walk's read-ahead request is cancelled with when the walk stops: one object, made once (an Error's
 * stack costs more than the rest of a short walk), that reaches no caller (the read-ahead's rejection is dropped).
 */
const WALK_STOPPED = new RequestAbortedError('the walk was stopped');

/** A v1 walk ends on noSuchName. */
function endOnNoSuchName(error: unknown): null {
  if (error instanceof ResponseError && error.status === ErrorStatus.noSuchName) return null;
  throw error;
}

/** A walk's GETBULKs need at least one repetition: with none, a walk would get nothing and end at once. */
export function checkWalkRepetitions(maxRepetitions: number, name: string): void {
  checkBulkCounts(0, maxRepetitions, ['non-repeaters', name]);
  if (maxRepetitions < 1) {
    throw new GeneralError('SNMPERR_BAD_REPETITIONS', { detail: `a walk needs ${name} of at least 1` });
  }
}
