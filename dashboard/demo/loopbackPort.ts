// A free TCP port on loopback, for a peer started beside the demo (its Prometheus); the tests start
// their peers (sshd, Prometheus, an OIDC provider) on one the same way (test/helpers/ports.ts).
import { createServer } from "node:net";

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("no free port"));
      });
    });
  });
}
