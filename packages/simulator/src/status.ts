import { ErrorStatus } from '@snmpkit/ber';

// The error-status table is @snmpkit/ber's (one table for every package); re-exported for the simulator's users.
export { ErrorStatus, type ErrorStatusName, errorStatusByName } from '@snmpkit/ber';

/**
 * The v1 error-status for a v2 one (RFC 3584 §4.4): the v2 SET errors become badValue, noSuchName or genErr;
 * tooBig, noSuchName, badValue, readOnly and genErr are v1 already.
 */
export function toV1ErrorStatus(status: number): number {
  switch (status) {
    case ErrorStatus.wrongValue:
    case ErrorStatus.wrongEncoding:
    case ErrorStatus.wrongType:
    case ErrorStatus.wrongLength:
    case ErrorStatus.inconsistentValue:
      return ErrorStatus.badValue;
    case ErrorStatus.noAccess:
    case ErrorStatus.notWritable:
    case ErrorStatus.noCreation:
    case ErrorStatus.inconsistentName:
    case ErrorStatus.authorizationError:
      return ErrorStatus.noSuchName;
    case ErrorStatus.resourceUnavailable:
    case ErrorStatus.commitFailed:
    case ErrorStatus.undoFailed:
      return ErrorStatus.genErr;
    default:
      return status <= ErrorStatus.genErr ? status : ErrorStatus.genErr;
  }
}
