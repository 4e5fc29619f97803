// JSON from outside, parsed strictly: a nesting limit checked before JSON.parse builds anything (a body of
// nested brackets costs V8 seconds to build at megabyte sizes), and duplicate keys refused with the key
// named. JSON.parse keeps the last of two equal keys silently, so a reviewer and the server could read
// different values in the same document.
import { AppError, type FieldErrors } from "../app/appError.js";

export interface StrictJsonOptions {
  /** Most containers (objects, arrays) open at once. */
  maxDepth: number;
  /** How errors name the document's fields: "body" gives `body.items.0.name`. */
  location: string;
}

/** One open container: an object's keys so far, and which member or element is being read. */
interface Frame {
  keys: Set<string> | undefined;
  member: string | number;
  expectingKey: boolean;
}

const quote = 0x22;
const backslash = 0x5c;

/** The end of the string starting at `start` (an opening quote): the index of its closing quote, or -1. */
function stringEnd(text: string, start: number): number {
  let at = start + 1;
  for (;;) {
    const end = text.indexOf('"', at);
    if (end === -1) return -1;
    let slashes = 0;
    while (text.charCodeAt(end - 1 - slashes) === backslash) slashes += 1;
    if (slashes % 2 === 0) return end;
    at = end + 1;
  }
}

function keyOf(raw: string): string {
  if (!raw.includes("\\")) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw; // a broken escape: JSON.parse reports the document as malformed
  }
}

/**
 * One pass over the text: refuse nesting deeper than `maxDepth` at once, and return the field path of
 * the first duplicate key (to report only once JSON.parse has found the document well-formed).
 */
function scan(text: string, options: StrictJsonOptions): string[] | undefined {
  const frames: Frame[] = [];
  let duplicate: string[] | undefined;
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (code === quote) {
      const end = stringEnd(text, at);
      if (end === -1) return duplicate;
      const frame = frames.at(-1);
      if (frame?.keys && frame.expectingKey) {
        const key = keyOf(text.slice(at + 1, end));
        if (frame.keys.has(key) && duplicate === undefined) {
          duplicate = [...frames.slice(0, -1).map((f) => String(f.member)), key];
        }
        frame.keys.add(key);
        frame.member = key;
        frame.expectingKey = false;
      }
      at = end;
    } else if (code === 0x7b || code === 0x5b) {
      // { or [
      if (frames.length >= options.maxDepth) {
        throw new AppError("invalid-input", `JSON nested deeper than ${options.maxDepth} levels`, 400, {
          [options.location]: [`nested deeper than ${options.maxDepth} levels`],
        });
      }
      const isObject = code === 0x7b;
      frames.push({ keys: isObject ? new Set() : undefined, member: isObject ? "" : 0, expectingKey: isObject });
    } else if (code === 0x7d || code === 0x5d) {
      frames.pop();
    } else if (code === 0x2c) {
      // , : the next member of an object, or the next element of an array
      const frame = frames.at(-1);
      if (frame?.keys) frame.expectingKey = true;
      else if (frame) frame.member = Number(frame.member) + 1;
    }
  }
  return duplicate;
}

/** `text` as JSON, refusing deep nesting, malformed JSON and duplicate keys with a 400 naming the field. */
export function parseStrictJson(text: string, options: StrictJsonOptions): unknown {
  const duplicate = scan(text, options);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message;
    const fields: FieldErrors = { [options.location]: [`not valid JSON: ${reason}`] };
    throw new AppError("invalid-json", `the ${options.location} is not valid JSON: ${reason}`, 400, fields);
  }
  if (duplicate) {
    const key = duplicate.at(-1) ?? "";
    const path = [options.location, ...duplicate].join(".");
    throw new AppError("duplicate-key", `duplicate key "${key}" at ${path}: give each key once`, 400, {
      [path]: ["duplicate key: give each key once"],
    });
  }
  return value;
}
