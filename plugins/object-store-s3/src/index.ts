/**
 * `@weir/object-store-s3`: Weir's object store on S3-compatible servers. Weir loads this package
 * when `WEIR_OBJECT_STORE=s3://bucket/prefix`, and calls {@link createObjectStore}.
 *
 * Settings come from the environment: `WEIR_S3_ENDPOINT` (an S3-compatible server; unset for
 * AWS), `WEIR_S3_REGION` (default `AWS_REGION`, then `us-east-1`), `WEIR_S3_FORCE_PATH_STYLE`
 * (default true when an endpoint is set) and the standard AWS credential chain
 * (`AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`, profiles, instance roles, …).
 * @packageDocumentation
 */
import { parseS3Url } from './s3-location.js';
import { loadS3Sdk } from './s3-sdk.loader.js';
import { credentialsFrom, readS3Settings } from './s3-settings.js';
import { S3ObjectStore } from './s3-object-store.js';

export { InvalidObjectKeyError } from 'weir/plugin';
export { parseS3Url, type S3Location } from './s3-location.js';
export { loadS3Sdk, type S3Sdk } from './s3-sdk.loader.js';
export { readS3Settings, S3_ENV, type S3Settings } from './s3-settings.js';
export { DEFAULT_PART_SIZE, DEFAULT_QUEUE_SIZE, S3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.js';

/** Overrides for {@link createObjectStore}; Weir itself passes none. */
export interface CreateS3ObjectStoreOptions {
  /**
   * Where the settings are read from; default `process.env`. Credentials found there are used,
   * otherwise the SDK's default chain (which reads `process.env`, profiles, roles) applies.
   */
  readonly env?: NodeJS.ProcessEnv;
  /** Multipart part size in bytes; default 8 MiB. */
  readonly partSize?: number;
  /** Parts uploaded at once; default 2. */
  readonly queueSize?: number;
}

/**
 * Builds the store for `url` (`s3://bucket` or `s3://bucket/prefix`), importing the AWS SDK on
 * first use. The bucket must exist: Weir never creates or configures buckets.
 * @throws Error naming the URL or the environment variable when either is malformed; no message
 *   ever contains credentials.
 */
export async function createObjectStore(url: string, options: CreateS3ObjectStoreOptions = {}): Promise<S3ObjectStore> {
  const location = parseS3Url(url);
  const env = options.env ?? process.env;
  const settings = readS3Settings(env);
  const sdk = await loadS3Sdk();
  const client = new sdk.S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.endpoint === undefined
      ? {}
      : {
          endpoint: settings.endpoint,
          // S3-compatible servers often mishandle the SDK's default streaming checksums
          // (aws-chunked trailers): s3rver stores such bodies with the chunk framing inside.
          // Against AWS itself the default (checksums whenever supported) stays.
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }),
    ...withCredentials(credentialsFrom(env, settings)),
  });
  return new S3ObjectStore({
    client,
    sdk,
    location,
    serverId: settings.endpoint ?? `aws:${settings.region}`,
    ...(options.partSize === undefined ? {} : { partSize: options.partSize }),
    ...(options.queueSize === undefined ? {} : { queueSize: options.queueSize }),
  });
}

function withCredentials<T>(credentials: T | undefined): { credentials?: T } {
  return credentials === undefined ? {} : { credentials };
}
