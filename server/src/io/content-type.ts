/** MIME type of bytes Weir knows nothing about. */
export const OCTET_STREAM = 'application/octet-stream';

/** MIME type of JSON outputs. */
export const APPLICATION_JSON = 'application/json';

const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.json': APPLICATION_JSON,
  '.ndjson': 'application/x-ndjson',
  '.jsonl': 'application/x-ndjson',
  '.csv': 'text/csv',
  '.txt': 'text/plain',
  '.parquet': 'application/vnd.apache.parquet',
};

/**
 * Guesses a MIME type from a file name's extension (`.json`, `.ndjson`, `.csv`, `.txt`,
 * `.parquet`), case-insensitively; anything else is `application/octet-stream`.
 */
export function contentTypeFor(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return OCTET_STREAM;
  return BY_EXTENSION[base.slice(dot).toLowerCase()] ?? OCTET_STREAM;
}
