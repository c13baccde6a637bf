import type { BasicPdu, SnmpValue, VarBind } from '@snmpkit/ber';
import { ResponseError } from './errors.js';
import type { RequestPdu } from './message-processing.js';

export interface RequestOptions {
  signal?: AbortSignal;
}

/** The value of every varbind a request asks about. */
export const NULL: SnmpValue = Object.freeze({ type: 'Null' });

/** A PDU with no error and a request-id the dispatcher assigns. */
export function basicPdu(type: BasicPdu['type'], varbinds: VarBind[]): BasicPdu {
  return { type, requestId: 0, errorStatus: 0, errorIndex: 0, varbinds };
}

/** The response's varbinds, or ResponseError for a non-zero error-status. */
export function checkResponse(response: BasicPdu, request: RequestPdu): VarBind[] {
  if (response.errorStatus !== 0) {
    throw new ResponseError(response.errorStatus, response.errorIndex, response.varbinds, request.varbinds);
  }
  return response.varbinds;
}
