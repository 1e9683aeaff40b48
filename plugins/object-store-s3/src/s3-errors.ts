/**
 * Reading the AWS SDK's errors. SDK errors carry the S3 error code as `name` and the HTTP status
 * in `$metadata`; HEAD responses have no body, so only the status says what went wrong.
 */

interface SdkErrorShape {
  readonly name?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as SdkErrorShape | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function nameOf(error: unknown): string | undefined {
  const name = (error as SdkErrorShape | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** The key (not the bucket) does not exist. */
export function isMissingKey(error: unknown): boolean {
  const name = nameOf(error);
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(error) === 404;
}

/** The bucket does not exist. */
export function isMissingBucket(error: unknown): boolean {
  return nameOf(error) === 'NoSuchBucket';
}

/** An `If-None-Match: *` write lost: an object was already at the key. */
export function isPreconditionFailed(error: unknown): boolean {
  return nameOf(error) === 'PreconditionFailed' || statusOf(error) === 412;
}

/** The server refused a request feature it does not implement (here: conditional writes). */
export function isNotImplemented(error: unknown): boolean {
  return nameOf(error) === 'NotImplemented' || statusOf(error) === 501;
}
