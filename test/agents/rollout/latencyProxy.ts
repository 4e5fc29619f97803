// A TCP proxy that adds network latency: every byte is delivered `oneWayMs` after it arrived, in each
// direction, and the onward connection is opened `oneWayMs` after the client's (the SYN's flight). It
// stands in for `tc qdisc netem delay`, which this container's kernel lacks: the rollout benchmark puts
// it in front of the loopback sshd so that each "host" is as far away as a real one. No bandwidth limit.
//
// Run as its own process (`startLatencyProxy` forks this file), so its timers never wait behind the
// rollout's own event loop: the delay it adds is the network's, not the deployer's CPU.
import { fork } from "node:child_process";
import { createServer, connect, type Socket } from "node:net";
import { fileURLToPath } from "node:url";

export interface LatencyProxy {
  port: number;
  stop(): Promise<void>;
}

/** Start the proxy in a child process: 127.0.0.1:<port> → target, `oneWayMs` each way. */
export async function startLatencyProxy(targetPort: number, oneWayMs: number): Promise<LatencyProxy> {
  const child = fork(fileURLToPath(import.meta.url), ["--serve", String(targetPort), String(oneWayMs)], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (message) => {
      resolve(Number(message));
    });
    child.once("exit", (code) => {
      reject(new Error(`the latency proxy exited (${code ?? "signal"}) before listening`));
    });
  });
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once("exit", () => {
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** Forward `from` to `to()`, each chunk (and the end) `delayMs` after it arrived, in order. */
function delayedPipe(from: Socket, to: () => Socket | undefined, delayMs: number): void {
  const queue: { at: number; chunk: Buffer | undefined }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    const target = to();
    if (!target) {
      timer = setTimeout(flush, 1);
      return;
    }
    const now = performance.now();
    while (queue.length > 0 && queue[0]!.at <= now) {
      const { chunk } = queue.shift()!;
      if (chunk) target.write(chunk);
      else target.end();
    }
    if (queue.length > 0) timer = setTimeout(flush, queue[0]!.at - now);
  };
  const push = (chunk: Buffer | undefined): void => {
    queue.push({ at: performance.now() + delayMs, chunk });
    timer ??= setTimeout(flush, delayMs);
  };
  from.on("data", (chunk: Buffer) => {
    push(chunk);
  });
  from.on("end", () => {
    push(undefined);
  });
}

function serve(targetPort: number, oneWayMs: number): void {
  const server = createServer({ noDelay: true }, (client) => {
    let upstream: Socket | undefined;
    const close = (): void => {
      client.destroy();
      upstream?.destroy();
    };
    client.on("error", close);
    setTimeout(() => {
      upstream = connect({ host: "127.0.0.1", port: targetPort, noDelay: true });
      upstream.on("error", close);
      upstream.on("close", () => {
        setTimeout(() => client.destroy(), oneWayMs);
      });
      delayedPipe(upstream, () => client, oneWayMs);
    }, oneWayMs);
    client.on("close", () => {
      setTimeout(() => upstream?.destroy(), oneWayMs);
    });
    delayedPipe(client, () => upstream, oneWayMs);
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    process.send?.(typeof address === "object" && address ? address.port : 0);
  });
  process.on("SIGTERM", () => {
    process.exit(0);
  });
}

if (process.argv[2] === "--serve") serve(Number(process.argv[3]), Number(process.argv[4]));
