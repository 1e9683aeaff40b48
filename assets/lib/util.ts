// Small helpers shared by the layers. Kept dependency-free on purpose: an asset project
// should not need a utility library for rounding money.

export const DAY_MS = 86_400_000;

/** Rounds money to cents. Amounts are stored as numbers of EUR with two decimals. */
export const round2 = (n: number): number => Math.round(n * 100) / 100;

/** `Map.groupBy` is not available on Node 20, which Weir still supports. */
export function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** `orderId` → `order_id`: the source systems speak camelCase, the tables snake_case. */
export function snakeCased(row: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]),
  );
}
