/**
 * Serializes work per key inside this process. S3 servers that ignore `If-None-Match: *`
 * (s3rver, some S3-compatible servers) give no atomic create, so two concurrent puts to one key
 * could both pass the existence check and the later one would overwrite the earlier. Queued
 * here, the second put starts after the first has settled and its check sees the object.
 *
 * Module-level so that several stores on the same bucket in one process share the queue.
 */
const tails = new Map<string, Promise<void>>();

/** Runs `work` once every earlier `withKeyLock(id, …)` call has settled, in call order. */
export async function withKeyLock<T>(id: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(id) ?? Promise.resolve();
  let release!: () => void;
  const settled = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => settled);
  tails.set(id, tail);
  try {
    await previous;
    return await work();
  } finally {
    release();
    // Only the last in the queue removes the entry, so the map does not grow with keys.
    if (tails.get(id) === tail) tails.delete(id);
  }
}
