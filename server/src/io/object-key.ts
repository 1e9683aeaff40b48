/**
 * Object keys are slash-separated relative paths such as
 * `runs/<runId>/<stepId>/<attemptId>/output.json`. Every store validates them the same way so
 * a key that works on the filesystem also works on S3, and no key can escape the store's root.
 */

/** Keys longer than this are rejected: S3 caps keys at 1024 bytes. */
const MAX_KEY_BYTES = 1024;

/** Thrown when an object key (or key prefix) is malformed; the message names the key and the problem. */
export class InvalidObjectKeyError extends Error {
  readonly key: string;

  constructor(key: string, problem: string) {
    super(`Invalid object key ${JSON.stringify(key)}: ${problem}`);
    this.name = 'InvalidObjectKeyError';
    this.key = key;
  }
}

/**
 * Throws {@link InvalidObjectKeyError} unless `key` is a relative, normalized,
 * slash-separated path: no leading `/`, no empty, `.` or `..` segments, no backslashes or
 * control characters.
 * @returns the key, unchanged.
 */
export function validateObjectKey(key: string): string {
  if (typeof key !== 'string') throw new InvalidObjectKeyError(String(key), 'must be a string');
  if (key.length === 0) throw new InvalidObjectKeyError(key, 'must not be empty');
  if (key.startsWith('/')) throw new InvalidObjectKeyError(key, 'must be relative (no leading "/")');
  // Backslashes would be separators on Windows and let `a\..\..` walk out of the root there.
  if (key.includes('\\')) throw new InvalidObjectKeyError(key, 'must use "/" as separator (no "\\")');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
  if (/[\u0000-\u001f\u007f]/.test(key)) throw new InvalidObjectKeyError(key, 'must not contain control characters');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new InvalidObjectKeyError(key, `must be at most ${MAX_KEY_BYTES} bytes long`);
  }
  for (const segment of key.split('/')) {
    if (segment === '')
      throw new InvalidObjectKeyError(key, 'must not contain empty segments ("//" or a trailing "/")');
    if (segment === '.' || segment === '..') {
      throw new InvalidObjectKeyError(key, `must not contain "${segment}" segments`);
    }
  }
  return key;
}

/** Joins validated key parts with `/`; throws {@link InvalidObjectKeyError} if the result is malformed. */
export function joinObjectKey(...parts: readonly string[]): string {
  return validateObjectKey(parts.join('/'));
}
