// One command running on a host over an open SSH connection, that the rollout can talk to while it runs:
// read its output up to a marker line, answer on its stdin, then wait for it to succeed. That lets one
// exec both report the host's state and act on the rollout's decision, instead of an exec for each.
import type { Client, ClientChannel } from "ssh2";

export interface RemoteProcess {
  /** stdout up to the line `marker` (without it); rejects if the command ends before printing it. */
  readUntil(marker: string): Promise<string>;
  /** Send these bytes on stdin, close it (EOF), and resolve with all stdout once the command exits 0. */
  finish(input?: readonly (string | Buffer)[]): Promise<string>;
}

export interface RemoteProcessOptions {
  /** The longest the command may run; then the connection is closed (`onTimeout`) and it fails. */
  timeoutMs: number;
  onTimeout: () => void;
}

/** Why a command failed, as the operator should read it: its exit status and the last line it wrote to stderr. */
function failure(code: number | null, signal: string | undefined, stderr: string): Error {
  const detail = stderr.trim().split("\n").pop() ?? "";
  return new Error(`remote command failed (exit ${code ?? signal ?? "?"})${detail ? `: ${detail}` : ""}`);
}

export function startRemote(client: Client, command: string, options: RemoteProcessOptions): Promise<RemoteProcess> {
  return new Promise((resolveStart, rejectStart) => {
    client.exec(command, (error, channel: ClientChannel) => {
      if (error) {
        rejectStart(error);
        return;
      }
      let stdout = "";
      let stderr = "";
      let exit: { code: number | null; signal?: string } = { code: null };
      /** Set once the command has ended (or timed out): undefined for success, else why it failed. */
      let outcome: { error?: Error } | undefined;
      const enders: ((text: string) => void)[] = [];
      const failers: ((error: Error) => void)[] = [];
      let waiter: { marker: string; resolve: (text: string) => void; reject: (error: Error) => void } | undefined;

      const checkMarker = (): void => {
        if (!waiter) return;
        const line = `${waiter.marker}\n`;
        const after = stdout.indexOf(`\n${line}`);
        const at = stdout.startsWith(line) ? 0 : after === -1 ? -1 : after + 1;
        if (at !== -1) {
          const { resolve } = waiter;
          waiter = undefined;
          resolve(stdout.slice(0, at));
        } else if (outcome) {
          const { reject } = waiter;
          waiter = undefined;
          reject(outcome.error ?? new Error("the remote command ended before it was ready for instructions"));
        }
      };
      const end = (result: { error?: Error }): void => {
        if (outcome) return;
        outcome = result;
        clearTimeout(timer);
        checkMarker();
        if (result.error) for (const fail of failers) fail(result.error);
        else for (const done of enders) done(stdout);
      };
      // A remote step that hangs (a stuck systemctl, a full disk) must not hold the whole rollout.
      const timer = setTimeout(() => {
        end({ error: new Error(`remote command timed out after ${options.timeoutMs / 1000} s`) });
        options.onTimeout();
      }, options.timeoutMs);

      // Decoded as streams, so a UTF-8 character split across two SSH packets stays whole.
      channel.setEncoding("utf8");
      channel.stderr.setEncoding("utf8");
      channel.on("data", (chunk: string) => {
        stdout += chunk;
        checkMarker();
      });
      channel.stderr.on("data", (chunk: string) => (stderr += chunk));
      // Writing the instruction just as the command dies fails; the command's own status explains more.
      let channelError: Error | undefined;
      channel.on("error", (e: Error) => {
        channelError = e;
      });
      channel.on("exit", (code: number | null, signal?: string) => {
        exit = signal === undefined ? { code } : { code, signal };
      });
      channel.on("close", () => {
        const noStatus = exit.code === null && exit.signal === undefined;
        if (exit.code === 0) end(channelError ? { error: channelError } : {});
        else end({ error: noStatus && channelError ? channelError : failure(exit.code, exit.signal, stderr) });
      });

      resolveStart({
        readUntil: (marker) =>
          new Promise((resolve, reject) => {
            waiter = { marker, resolve, reject };
            checkMarker();
          }),
        finish: (input = []) =>
          new Promise((resolve, reject) => {
            if (outcome) {
              if (outcome.error) reject(outcome.error);
              else resolve(stdout);
              return;
            }
            enders.push(resolve);
            failers.push(reject);
            for (const part of input) channel.write(part);
            channel.end();
          }),
      });
    });
  });
}
