// One PromQL instant query (/api/v1/query) answered as a vector, for the metering sources that read
// Prometheus: host status and patch state. A source that does not answer, or answers anything but a
// vector, is a SourceUnavailableError naming the query, so metering records a gap instead of a zero.
import { SourceUnavailableError } from "./source.js";

export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

export async function instantQuery(
  baseUrl: string,
  promql: string,
  options: { timeoutMs: number; fetch?: typeof fetch },
  what: string,
): Promise<VectorSample[]> {
  const url = new URL("api/v1/query", baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  url.searchParams.set("query", promql);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: { accept: "application/json" },
    });
  } catch (error) {
    throw new SourceUnavailableError(`PromQL ${url.host} did not answer: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const body = (await response.json().catch(() => ({}))) as {
    status?: string;
    error?: string;
    data?: { resultType: string; result: VectorSample[] };
  };
  if (!response.ok || body.status !== "success" || body.data?.resultType !== "vector")
    throw new SourceUnavailableError(
      `PromQL ${url.host} refused the ${what} query (HTTP ${response.status}): ${body.error ?? "no vector"}`,
    );
  return body.data.result;
}
