/**
 * An amount of memory: a number of bytes, or a string such as `'512MiB'`, `'2GiB'`, `'256MB'`
 * (binary units KiB/MiB/GiB, decimal units KB/MB/GB).
 */
export type ByteSize = number | string;

const UNIT_BYTES: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/**
 * Converts a {@link ByteSize} to bytes.
 * @throws Error naming the offending text when it does not parse.
 */
export function parseByteSize(value: ByteSize): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new Error(`invalid size ${value}: expected a positive whole number of bytes`);
    return value;
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(String(value));
  const unit = match ? UNIT_BYTES[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) <= 0) {
    throw new Error(`invalid size '${value}': expected e.g. '512MiB', '2GiB' or '256MB'`);
  }
  return Math.round(Number(match[1]) * unit);
}

/** Formats bytes for people: `128 MiB`, `1.5 GiB`. */
export function formatByteSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
