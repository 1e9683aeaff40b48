/**
 * The AWS SDK, loaded on first use. Nothing else in this package imports it at runtime (only its
 * types), so Weir deployments without S3 never pay for loading it, and a broken SDK install
 * only breaks the deployments that configure `s3://`.
 */
import type {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Upload } from '@aws-sdk/lib-storage';

/** The parts of the SDK the store uses. */
export interface S3Sdk {
  readonly S3Client: typeof S3Client;
  readonly HeadObjectCommand: typeof HeadObjectCommand;
  readonly GetObjectCommand: typeof GetObjectCommand;
  readonly AbortMultipartUploadCommand: typeof AbortMultipartUploadCommand;
  readonly ListObjectsV2Command: typeof ListObjectsV2Command;
  readonly DeleteObjectCommand: typeof DeleteObjectCommand;
  readonly Upload: typeof Upload;
}

let loading: Promise<S3Sdk> | undefined;

/** Imports `@aws-sdk/client-s3` and `@aws-sdk/lib-storage` once per process. */
export function loadS3Sdk(): Promise<S3Sdk> {
  loading ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]).then(
    ([client, storage]) => ({
      S3Client: client.S3Client,
      HeadObjectCommand: client.HeadObjectCommand,
      GetObjectCommand: client.GetObjectCommand,
      AbortMultipartUploadCommand: client.AbortMultipartUploadCommand,
      ListObjectsV2Command: client.ListObjectsV2Command,
      DeleteObjectCommand: client.DeleteObjectCommand,
      Upload: storage.Upload,
    }),
    (error: unknown) => {
      // A failed import is not cached: the next store creation reports the error again.
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
