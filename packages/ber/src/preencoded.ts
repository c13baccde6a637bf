import { BerError } from './errors.js';
import { PduTag, writeInteger, writeRequestId } from './message.js';
import type { SnmpValue, VarBind } from './types.js';
import { Tag, writeOid, writeValue, writeVarBind } from './values.js';
import { BerWriter } from './writer.js';

/*
 * Encoding in parts, for an agent that keeps what it sends: a value, an OID or a VarBind encoded on its own (the
 * bytes encodeMessage writes for it, with the same BerError for what cannot be represented), and a v1/v2c Response
 * assembled from VarBinds encoded earlier, whose exact size is known before a byte is written, so that tooBig and
 * GETBULK truncation are decided exactly. Small results are carved from shared slabs, as encodeMessage's are:
 * keeping a million encoded VarBinds does not cost a million ArrayBuffers.
 */

/** The TLV of a value, as it appears in a VarBind. Throws BerError when the value cannot be represented. */
export function encodeValue(value: SnmpValue): Uint8Array {
  const w = new BerWriter();
  writeValue(w, value);
  return w.finish();
}

// The OIDs below bypass the cache of encoded OIDs that encodeMessage uses: the caller keeps what these return, so
// caching would only copy each OID a second time, and an agent encoding a million distinct OIDs once each spent
// more on filling and clearing the cache than on encoding (its walk of a million OIDs took about 2 s instead of 1 s).

/** The OBJECT IDENTIFIER TLV of a dotted OID (a leading dot allowed). Throws BerError when the OID is malformed. */
export function encodeOid(oid: string): Uint8Array {
  const w = new BerWriter();
  writeOid(w, oid, false);
  return w.finish();
}

/** The VarBind SEQUENCE TLV (name, then value). Throws BerError when either cannot be represented. */
export function encodeVarBind(varbind: VarBind): Uint8Array {
  const w = new BerWriter();
  writeVarBind(w, varbind, false);
  return w.finish();
}

/**
 * The fields of a v1/v2c Response other than its VarBinds; the numbers must be Integer32s, but for a request-id
 * echoed from a request that came with a 5-byte one.
 */
export interface CommunityResponseHeader {
  /** 0 for SNMPv1, 1 for SNMPv2c (the wire numbers). */
  version: 0 | 1;
  /** The community's bytes (a message's latin1 `community` string, one byte per character). */
  community: Uint8Array;
  requestId: number;
  errorStatus: number;
  errorIndex: number;
}

/** Bytes a TLV with a one-byte tag and `contentLength` content bytes takes (the minimal length BerWriter writes). */
function tlvSize(contentLength: number): number {
  const lengthOfLength =
    contentLength < 0x80
      ? 1
      : contentLength < 0x100
        ? 2
        : contentLength < 0x10000
          ? 3
          : contentLength < 0x1000000
            ? 4
            : 5;
  return 1 + lengthOfLength + contentLength;
}

/** Bytes the INTEGER TLV of an Integer32 (or a 5-byte request-id) takes (minimal two's complement content). */
function integerTlvSize(v: number): number {
  return (
    2 +
    (v >= -0x80 && v < 0x80
      ? 1
      : v >= -0x8000 && v < 0x8000
        ? 2
        : v >= -0x800000 && v < 0x800000
          ? 3
          : v >= -0x80000000 && v < 0x80000000
            ? 4
            : 5)
  );
}

function pduContentSize(header: CommunityResponseHeader, varbindsLength: number): number {
  return (
    integerTlvSize(header.requestId) +
    integerTlvSize(header.errorStatus) +
    integerTlvSize(header.errorIndex) +
    tlvSize(varbindsLength)
  );
}

/**
 * The exact size of the Response encodeCommunityResponse writes for `header` and VarBind TLVs adding up to
 * `varbindsLength` bytes. Cheap enough to ask once per VarBind while deciding how many fit.
 */
export function communityResponseSize(header: CommunityResponseHeader, varbindsLength: number): number {
  const messageContent =
    integerTlvSize(header.version) + tlvSize(header.community.length) + tlvSize(pduContentSize(header, varbindsLength));
  return tlvSize(messageContent);
}

/**
 * A v1/v2c Response message from VarBind TLVs encoded earlier (encodeVarBind), in order: the same bytes
 * encodeMessage writes for that message. Throws BerError for a version other than 0 or 1 or a number outside the
 * Integer32 range.
 */
export function encodeCommunityResponse(header: CommunityResponseHeader, varbinds: readonly Uint8Array[]): Uint8Array {
  if (header.version !== 0 && header.version !== 1) {
    throw new BerError('version 0 (v1) or 1 (v2c)', undefined, `got ${header.version}`);
  }
  let varbindsLength = 0;
  for (const vb of varbinds) varbindsLength += vb.length;
  // Written back to front, like every message, into a buffer of the final size when it exceeds the scratch buffer.
  const w = new BerWriter(communityResponseSize(header, varbindsLength));
  for (let i = varbinds.length - 1; i >= 0; i--) w.bytes(varbinds[i]!);
  w.header(Tag.Sequence, varbindsLength);
  writeInteger(w, header.errorIndex, 'error-index');
  writeInteger(w, header.errorStatus, 'error-status');
  writeRequestId(w, header.requestId);
  w.header(PduTag.Response, w.size);
  w.bytes(header.community);
  w.header(Tag.OctetString, header.community.length);
  writeInteger(w, header.version, 'msgVersion');
  w.header(Tag.Sequence, w.size);
  return w.finish();
}
