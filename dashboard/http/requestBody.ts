// Reading a request body with limits that hold after decompression. A limit on the wire bytes alone lets
// a few kilobytes of gzip inflate to megabytes; so the inflated bytes are counted as they come out of
// zlib (on the thread pool, never blocking the event loop), and a body that inflates more than
// `maxRatio` times its compressed size is refused long before `maxBytes`: no real JSON or form does that.
import type { IncomingMessage } from "node:http";
import type { Transform } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { AppError } from "../app/appError.js";

export interface BodyLimits {
  /** Most bytes accepted, counted after decompression (the compressed bytes count against it too). */
  maxBytes: number;
  /** Most inflated bytes per compressed byte, checked once the inflated body passes `ratioFloor`. */
  maxRatio: number;
}

/** Below this many inflated bytes the ratio is not checked: a tiny body may compress oddly well. */
const ratioFloor = 64 * 1024;

/** A refusal after which the rest of the body stays unread: the connection must close, not be drained. */
export class BodyRefused extends AppError {}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}

const tooLarge = (limits: BodyLimits): BodyRefused => {
  const message = `request body larger than ${formatBytes(limits.maxBytes)} (counted after decompression)`;
  return new BodyRefused("body-too-large", message, 413);
};
const bomb = (limits: BodyLimits): BodyRefused => {
  const message = `request body inflates more than ${limits.maxRatio} times: refused as a decompression bomb`;
  return new BodyRefused("body-compression-ratio", message, 413);
};

function decompressorFor(encoding: string | undefined): Transform | undefined {
  switch ((encoding ?? "identity").trim().toLowerCase()) {
    case "identity":
      return undefined;
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "deflate":
      return createInflate();
    case "br":
      return createBrotliDecompress();
    default:
      throw new BodyRefused("unsupported-encoding", "Content-Encoding must be gzip, deflate, br or identity", 415);
  }
}

/** The request's body, decompressed, within `limits`; rejects with a BodyRefused (4xx) otherwise. */
export function readRequestBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limits.maxBytes) return Promise.reject(tooLarge(limits));
  return new Promise<Buffer>((resolve, reject) => {
    // (a throw here, an unsupported encoding, rejects the promise)
    const decompressor = decompressorFor(req.headers["content-encoding"]);
    const chunks: Buffer[] = [];
    let wireBytes = 0;
    let bodyBytes = 0;
    let settled = false;

    const stop = (): void => {
      req.off("data", onWire);
      req.off("end", onWireEnd);
      req.off("error", onFailure);
      req.off("aborted", onAborted);
      req.off("close", onClose);
      req.pause();
      decompressor?.destroy();
    };
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      stop();
      reject(error);
    };
    const finish = (): void => {
      if (settled) return;
      settled = true;
      stop();
      resolve(Buffer.concat(chunks, bodyBytes));
    };
    const onBody = (chunk: Buffer): void => {
      bodyBytes += chunk.length;
      if (bodyBytes > limits.maxBytes) fail(tooLarge(limits));
      else if (decompressor && bodyBytes > ratioFloor && bodyBytes > wireBytes * limits.maxRatio) fail(bomb(limits));
      else chunks.push(chunk);
    };
    const onWire = (chunk: Buffer): void => {
      wireBytes += chunk.length;
      if (wireBytes > limits.maxBytes) fail(tooLarge(limits));
      else if (!decompressor) onBody(chunk);
      else if (!decompressor.write(chunk)) {
        // zlib is behind: stop reading the socket until it catches up
        req.pause();
        decompressor.once("drain", () => {
          if (!settled) req.resume();
        });
      }
    };
    const onWireEnd = (): void => {
      if (decompressor) decompressor.end();
      else finish();
    };
    const onFailure = (): void => {
      fail(new BodyRefused("body-unreadable", "the request body could not be read", 400));
    };
    const onAborted = (): void => {
      fail(new BodyRefused("body-aborted", "the request body ended early", 400));
    };
    // closed without "aborted" or "error" (it varies by node version): not a hang, if the body is not whole
    const onClose = (): void => {
      if (!req.complete) onAborted();
    };

    if (decompressor) {
      decompressor.on("data", onBody);
      decompressor.on("end", finish);
      decompressor.on("error", () => {
        const encoding = String(req.headers["content-encoding"]);
        fail(new BodyRefused("body-corrupt", `the request body is not valid ${encoding} data`, 400));
      });
    }
    req.on("data", onWire);
    req.on("end", onWireEnd);
    req.on("error", onFailure);
    req.on("aborted", onAborted);
    req.on("close", onClose);
  });
}
