import { redactUrl } from './s3-location.js';

/** Environment variables the S3 store reads. Credentials come from the standard AWS chain. */
export const S3_ENV = {
  /** Endpoint of an S3-compatible server, e.g. `http://127.0.0.1:4569`; unset for AWS S3. */
  endpoint: 'WEIR_S3_ENDPOINT',
  /** Region to sign requests for; falls back to `AWS_REGION`, then `us-east-1`. */
  region: 'WEIR_S3_REGION',
  /** `true` for `http://endpoint/bucket/key` URLs; defaults to true when an endpoint is set. */
  forcePathStyle: 'WEIR_S3_FORCE_PATH_STYLE',
} as const;

const DEFAULT_REGION = 'us-east-1';

/** How to reach the S3 server, read from the environment. Holds no secrets. */
export interface S3Settings {
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly forcePathStyle: boolean;
  /** Static credentials found in the given environment, else the SDK's default chain (profiles, IMDS, …). */
  readonly credentialsFromEnv: boolean;
}

/**
 * Reads {@link S3Settings} from `env`.
 * @throws Error naming the variable when a value is malformed (never echoing credentials).
 */
export function readS3Settings(env: NodeJS.ProcessEnv): S3Settings {
  const endpoint = nonEmpty(env[S3_ENV.endpoint]);
  if (endpoint !== undefined) checkEndpoint(endpoint);
  const region = nonEmpty(env[S3_ENV.region]) ?? nonEmpty(env.AWS_REGION) ?? DEFAULT_REGION;
  const forcePathStyle = parseBoolean(S3_ENV.forcePathStyle, env[S3_ENV.forcePathStyle]) ?? endpoint !== undefined;
  const credentialsFromEnv = nonEmpty(env.AWS_ACCESS_KEY_ID) !== undefined;
  if (credentialsFromEnv && nonEmpty(env.AWS_SECRET_ACCESS_KEY) === undefined) {
    throw new Error('AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both, or neither');
  }
  return { endpoint, region, forcePathStyle, credentialsFromEnv };
}

/** The credentials to hand the SDK: those in `env` when it has them, else `undefined` (the default chain). */
export function credentialsFrom(
  env: NodeJS.ProcessEnv,
  settings: S3Settings,
): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined {
  if (!settings.credentialsFromEnv) return undefined;
  const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID!,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
    ...(sessionToken === undefined ? {} : { sessionToken }),
  };
}

function checkEndpoint(endpoint: string): void {
  let parsed: URL;
  try {
    parsed = new URL(endpoint);
  } catch {
    throw new Error(`${S3_ENV.endpoint}="${redactUrl(endpoint)}" is not a URL; expected e.g. http://127.0.0.1:4569`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`${S3_ENV.endpoint}="${redactUrl(endpoint)}" must be an http:// or https:// URL`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new Error(
      `${S3_ENV.endpoint}="${redactUrl(endpoint)}" must not hold credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
    );
  }
}

function parseBoolean(name: string, raw: string | undefined): boolean | undefined {
  const value = nonEmpty(raw)?.toLowerCase();
  if (value === undefined) return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
