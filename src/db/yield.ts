/**
 * better-sqlite3 answers synchronously, so a loop of awaited queries is one unbroken run of microtasks: the server
 * cannot answer a single HTTP request until the loop ends. Loops over many documents await this between them.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
