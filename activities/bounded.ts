// Work over many items with a bounded number in flight: enough at once that a long list does not
// wait in line, few enough that it does not flood the server it talks to.

/**
 * Runs `work` over `items` with at most `limit` in flight. The first failure is thrown once the
 * others have settled (no new item starts after it), so nothing is left rejecting unobserved.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async () => {
    while (next < items.length && failures.length === 0) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failures.length > 0) throw failures[0];
}
