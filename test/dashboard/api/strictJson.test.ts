// The strict JSON parser's scan runs before JSON.parse: it must never refuse a document JSON.parse reads
// as intended (brackets, quotes and backslashes inside strings, keys repeated in different objects), and
// must find every repeated key, escaped or not, with its path.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { AppError } from "../../../dashboard/app/appError.js";
import { parseStrictJson } from "../../../dashboard/http/strictJson.js";

const options = { maxDepth: 32, location: "body" };

function refusal(text: string): AppError {
  try {
    parseStrictJson(text, options);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`accepted: ${text}`);
}

/** Strings that look like JSON structure: the scan must treat them as text. */
const tricky = fc.constantFrom('"', "\\", '\\"', "{", "}", "[", "]", ",", ":", '","a":', "\\\\", "\u2028", "ü");
const text = fc.array(fc.oneof(tricky, fc.string({ maxLength: 4 })), { maxLength: 6 }).map((parts) => parts.join(""));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small" }, text, fc.integer(), fc.constant(null), tie("array"), tie("object")),
  array: fc.array(tie("node"), { maxLength: 4 }),
  object: fc.dictionary(text, tie("node"), { maxKeys: 4 }),
})).node;

describe("parseStrictJson", () => {
  test("reads whatever JSON.stringify writes (no duplicates possible) exactly as JSON.parse does", () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(value), fc.dictionary(text, value)), (document) => {
        const json = JSON.stringify(document);
        expect(parseStrictJson(json, { ...options, maxDepth: 1000 })).toEqual(JSON.parse(json));
      }),
      { numRuns: 500 },
    );
  });

  test("a key repeated in one object is refused, written plainly or escaped, with its path", () => {
    expect(refusal('{"a":1,"a":2}').message).toBe('duplicate key "a" at body.a: give each key once');
    expect(refusal('{"x":{"ab":1,"a\\u0062":2}}').message).toBe('duplicate key "ab" at body.x.ab: give each key once');
    const nested = refusal('[0,{"k":[1,{"z":"}","z":"{"}]}]');
    expect(nested.fields).toEqual({ "body.1.k.1.z": ["duplicate key: give each key once"] });
  });

  test("equal keys in different objects, and keys' text inside values, are no duplicates", () => {
    expect(parseStrictJson('[{"a":1},{"a":2}]', options)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseStrictJson('{"a":{"a":{"a":1}}}', options)).toEqual({ a: { a: { a: 1 } } });
    expect(parseStrictJson('{"a":"\\",\\"a\\":","b":["a","a"]}', options)).toEqual({ a: '","a":', b: ["a", "a"] });
  });

  test("nesting deeper than the limit is refused before parsing; at the limit it is read", () => {
    expect(parseStrictJson("[".repeat(32) + "]".repeat(32), options)).toBeDefined();
    const deep = refusal("[".repeat(33) + "]".repeat(33));
    expect([deep.status, deep.message]).toEqual([400, "JSON nested deeper than 32 levels"]);
    // brackets inside strings are text, not nesting
    expect(parseStrictJson(`["${"[".repeat(100)}"]`, options)).toEqual(["[".repeat(100)]);
  });

  test("malformed JSON is a 400 naming the location, whatever the scan saw", () => {
    for (const bad of ['{"a":', '{"a":1,"a":', '["unterminated', "{'a':1}"]) {
      const error = refusal(bad);
      expect(error.code, bad).toBe("invalid-json");
      expect(error.message).toMatch(/^the body is not valid JSON: /);
    }
  });
});
