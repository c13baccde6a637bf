/** RFC 3416 §3 error-status names (RFC 1157's first six among them), by number; Net-SNMP prints the same names. */
export const ERROR_STATUS_NAMES = [
  'noError',
  'tooBig',
  'noSuchName',
  'badValue',
  'readOnly',
  'genErr',
  'noAccess',
  'wrongType',
  'wrongLength',
  'wrongEncoding',
  'wrongValue',
  'noCreation',
  'inconsistentValue',
  'resourceUnavailable',
  'commitFailed',
  'undoFailed',
  'authorizationError',
  'notWritable',
  'inconsistentName',
] as const;

export type ErrorStatusName = (typeof ERROR_STATUS_NAMES)[number];

/** error-status numbers by name: `ErrorStatus.noSuchName === 2`. */
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
} as const satisfies { readonly [K in ErrorStatusName]: number };

const BY_LOWER_NAME = new Map<string, ErrorStatusName>(ERROR_STATUS_NAMES.map((name) => [name.toLowerCase(), name]));

/** The status for a name in any case (`notWritable`, `NOTWRITABLE`, `notwritable`), or undefined. */
export function errorStatusByName(name: string): ErrorStatusName | undefined {
  return BY_LOWER_NAME.get(name.trim().toLowerCase());
}
