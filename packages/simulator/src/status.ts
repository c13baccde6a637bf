/** error-status values (RFC 3416 §3, RFC 1157 §4.1.1). */
export const ErrorStatus = {
  noError: 0,
  tooBig: 1,
  noSuchName: 2,
  badValue: 3,
  readOnly: 4,
  genErr: 5,
  noAccess: 6,
  wrongType: 7,
  wrongLength: 8,
  wrongEncoding: 9,
  wrongValue: 10,
  noCreation: 11,
  inconsistentValue: 12,
  resourceUnavailable: 13,
  commitFailed: 14,
  undoFailed: 15,
  authorizationError: 16,
  notWritable: 17,
  inconsistentName: 18,
} as const;

export type ErrorStatusName = keyof typeof ErrorStatus;

const BY_LOWER_NAME = new Map<string, ErrorStatusName>(
  (Object.keys(ErrorStatus) as ErrorStatusName[]).map((name) => [name.toLowerCase(), name]),
);

/** The status for a name in any case (`notWritable`, `NOTWRITABLE`, `notwritable`), or undefined. */
export function errorStatusByName(name: string): ErrorStatusName | undefined {
  return BY_LOWER_NAME.get(name.trim().toLowerCase());
}

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
