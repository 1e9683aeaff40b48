/**
 * A pointer to bytes in the object store. Assets that write their own files
 * (`ctx.store.write(...)`) return one; Weir also creates them for large outputs.
 */
export interface PayloadRef {
  readonly kind: 'payload-ref';
  /** Where the bytes live, e.g. `file:///data/.weir/objects/runs/…` or `s3://bucket/…`. */
  readonly uri: string;
  /** Length in bytes. */
  readonly size: number;
  /** Hex SHA-256 of the bytes. */
  readonly sha256: string;
  /** MIME type, e.g. `application/json`, `text/csv`, `application/octet-stream`. */
  readonly contentType: string;
}

/** True when `value` is a {@link PayloadRef}. */
export function isPayloadRef(value: unknown): value is PayloadRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'payload-ref' &&
    typeof (value as { uri?: unknown }).uri === 'string'
  );
}
