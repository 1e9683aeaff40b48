/**
 * Sizes in the units people expect: 812 B, 14.2 KB, 3.1 MB (powers of 1024). Sizes arrive as
 * GraphQL Floats (outputs pass 2^31 bytes), exact up to 2^53.
 */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
