import { InvalidObjectKeyError, redactCredentials, validateObjectKey } from 'weir/plugin';

/** Where a store keeps its objects: a bucket and a key prefix inside it. */
export interface S3Location {
  readonly bucket: string;
  /** `''`, or a validated key prefix ending in `/`, e.g. `'weir/prod/'`. */
  readonly prefix: string;
}

// S3's rules for new buckets (lowercase, digits, dots, hyphens; 3–63 characters). Refusing other
// names here reports a typo in the URL, instead of an opaque signature or DNS error later.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const FORM = 's3://bucket or s3://bucket/prefix';

/**
 * Parses a store URL such as `s3://my-bucket/weir/prod` (the `WEIR_OBJECT_STORE` setting).
 * @throws Error naming the URL (credentials redacted) when it is not of that form.
 */
export function parseS3Url(input: string): S3Location {
  // `new URL` ignores surrounding whitespace; the raw slicing below must too.
  const url = input.trim();
  const shown = redactCredentials(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Invalid S3 object store URL "${shown}": expected ${FORM}`);
  }
  const invalid = (problem: string): Error => new Error(`Invalid S3 object store URL "${shown}": ${problem}`);
  if (parsed.protocol !== 's3:') throw invalid(`expected ${FORM}`);
  if (parsed.username !== '' || parsed.password !== '') {
    // A URL ends up in logs and error messages; credentials belong in the AWS credential chain.
    throw invalid('credentials do not belong in the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  }
  if (parsed.port !== '') throw invalid('a bucket has no port; set WEIR_S3_ENDPOINT for a custom server');
  if (parsed.search !== '' || parsed.hash !== '') throw invalid('query strings and fragments are not supported');
  const bucket = parsed.hostname;
  if (!BUCKET_NAME.test(bucket)) {
    throw invalid(`"${bucket}" is not a valid bucket name (3-63 lowercase letters, digits, dots and hyphens)`);
  }

  // The prefix is taken from the raw URL rather than `pathname`, which is percent-encoded; with no
  // credentials and no port, the raw URL is exactly `s3://` + bucket + path.
  const rawPath = url.slice('s3://'.length + bucket.length).replace(/^\/+/, '');
  const trimmed = rawPath.replace(/\/+$/, '');
  if (trimmed === '') return { bucket, prefix: '' };
  try {
    validateObjectKey(trimmed);
  } catch (error) {
    if (error instanceof InvalidObjectKeyError) throw invalid(`the prefix ${error.message.replace(/^Invalid /, '')}`);
    throw error;
  }
  return { bucket, prefix: `${trimmed}/` };
}

/** The URI of the object at `key`, e.g. `s3://bucket/prefix/runs/…/output.json`. */
export function uriOf(location: S3Location, key: string): string {
  return `s3://${location.bucket}/${location.prefix}${validateObjectKey(key)}`;
}

/**
 * The store key (without the prefix) that `uri` points at.
 * @throws Error naming the URI when it belongs to another bucket or lies outside the prefix.
 */
export function keyOfUri(location: S3Location, uri: string): string {
  if (typeof uri !== 'string') throw new TypeError(`open() needs a PayloadRef or a URI string, got ${String(uri)}`);
  const root = `s3://${location.bucket}/${location.prefix}`;
  if (!uri.startsWith(root)) {
    throw new Error(`Cannot open ${uri}: this S3 object store only reads objects under ${root}`);
  }
  return validateObjectKey(uri.slice(root.length));
}

/** Kept under its old name for the plugin's own modules. */
export { redactCredentials as redactUrl };
