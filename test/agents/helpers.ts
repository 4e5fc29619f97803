// Shared by the agent tests: free loopback ports, waiting for a server, and scraping.
import { freePort } from "../helpers/ports.js";

export { freePort };

/** Poll a URL until it answers 200 (or the deadline passes) and return the body. */
export async function waitForHttp(url: string, timeoutMs = 20_000, init?: RequestInit): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, init);
      if (response.ok) return await response.text();
      last = new Error(`HTTP ${response.status}`);
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `${url} did not answer within ${timeoutMs} ms: ${last instanceof Error ? last.message : String(last)}`,
  );
}
