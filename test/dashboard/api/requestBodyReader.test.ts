// The body reader on its own: every supported encoding, limits counted after decompression, the
// inflation ratio, corrupt data, and a connection that closes before the body is whole.
import type { IncomingMessage } from "node:http";
import { PassThrough } from "node:stream";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { readRequestBody } from "../../../dashboard/http/requestBody.js";

type FakeRequest = PassThrough & { headers: Record<string, string>; complete: boolean };

function fakeRequest(headers: Record<string, string>): FakeRequest {
  return Object.assign(new PassThrough(), { headers, complete: false });
}

/** The reader's result for `body` sent whole with `headers`. */
function read(body: Buffer, headers: Record<string, string> = {}, maxBytes = 64 * 1024): Promise<Buffer> {
  const req = fakeRequest(headers);
  const reading = readRequestBody(req as unknown as IncomingMessage, { maxBytes, maxRatio: 100 });
  req.complete = true;
  req.end(body);
  return reading;
}

const text = Buffer.from(JSON.stringify({ reason: "ünïcode and some words ".repeat(50) }));

describe("readRequestBody", () => {
  test.each([
    ["identity", (b: Buffer) => b],
    ["gzip", gzipSync],
    ["deflate", deflateSync],
    ["br", brotliCompressSync],
  ] as const)("%s", async (encoding, encode) => {
    expect((await read(encode(text), { "content-encoding": encoding })).equals(text)).toBe(true);
  });

  test("the limit counts inflated bytes: a small gzip of a large body is refused", async () => {
    const large = Buffer.from("a, b, c; ".repeat(20_000)); // 180 kB, compressing well under 100x
    const compressed = gzipSync(large);
    expect(compressed.length).toBeLessThan(64 * 1024);
    const reading = read(compressed, { "content-encoding": "gzip" });
    await expect(reading).rejects.toMatchObject({ status: 413, code: "body-too-large" });
  });

  test("a body inflating more than the ratio is refused as a bomb, under the size limit", async () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x5b));
    const reading = read(bomb, { "content-encoding": "gzip" }, 8 * 1024 * 1024);
    await expect(reading).rejects.toMatchObject({ status: 413, code: "body-compression-ratio" });
  });

  test("a declared length over the limit is refused before reading", async () => {
    const req = fakeRequest({ "content-length": String(70 * 1024) });
    const reading = readRequestBody(req as unknown as IncomingMessage, { maxBytes: 64 * 1024, maxRatio: 100 });
    await expect(reading).rejects.toMatchObject({ status: 413 });
  });

  test("corrupt data and unknown encodings are 400 and 415", async () => {
    const corrupt = read(Buffer.from("not gzip"), { "content-encoding": "gzip" });
    await expect(corrupt).rejects.toMatchObject({ status: 400, code: "body-corrupt" });
    const unknown = read(text, { "content-encoding": "compress" });
    await expect(unknown).rejects.toMatchObject({ status: 415, code: "unsupported-encoding" });
  });

  test("a connection closed before the body is whole rejects the read (no request left pending)", async () => {
    const req = fakeRequest({ "content-length": "1000" });
    const reading = readRequestBody(req as unknown as IncomingMessage, { maxBytes: 64 * 1024, maxRatio: 100 });
    req.write(Buffer.from('{"partial":'));
    req.destroy();
    await expect(reading).rejects.toMatchObject({ status: 400, code: "body-aborted" });
  });
});
