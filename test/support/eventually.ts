// Waits for an observable condition with a generous deadline: for state that another process
// (a worker's activity) writes shortly after the event the test caused. Never a fixed sleep.
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never ${what}; last seen: ${JSON.stringify(last)}`);
}
