// RFC 4180 records from a stream of text chunks, for the cloud bill's import (millions of rows): quoted
// fields may hold commas, doubled quotes and line breaks, and a record may straddle chunks. Unquoted
// fields are cut with indexOf, which on this workload is about twice as fast as csv-parse (measured
// with bench/costs.bench.ts); csv.ts stays the strict whole-file reader with line numbers.

export class CsvChunks {
  private rest = "";
  private started = false;

  /** The complete records of `chunk` (with what was left over from the previous chunk). */
  push(chunk: string): string[][] {
    let text = this.rest + chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const records: string[][] = [];
    let position = 0;
    for (;;) {
      const parsed = parseRecord(text, position, false);
      if (parsed === undefined) break;
      if (!(parsed.fields.length === 1 && parsed.fields[0] === "")) records.push(parsed.fields);
      position = parsed.next;
    }
    this.rest = text.slice(position);
    return records;
  }

  /** The last record, when the text does not end in a line break. */
  end(): string[][] {
    const text = this.rest;
    this.rest = "";
    if (text.length === 0) return [];
    const parsed = parseRecord(text, 0, true);
    if (parsed === undefined) throw new Error("the CSV ends inside a quoted field");
    return parsed.fields.length === 1 && parsed.fields[0] === "" ? [] : [parsed.fields];
  }
}

/**
 * One record starting at `start`, or undefined when the text ends before the record does (unless
 * `final`, when the end of the text ends the record). A quoted field left open is never complete.
 */
function parseRecord(text: string, start: number, final: boolean): { fields: string[]; next: number } | undefined {
  const fields: string[] = [];
  let i = start;
  for (;;) {
    if (text.charCodeAt(i) === 34 /* " */) {
      let value = "";
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote < 0) return undefined;
        if (text.charCodeAt(quote + 1) === 34) {
          value += text.slice(from, quote + 1);
          from = quote + 2;
          continue;
        }
        if (quote + 1 >= text.length && !final) return undefined;
        value += text.slice(from, quote);
        i = quote + 1;
        break;
      }
      fields.push(value);
    } else {
      let end = i;
      const length = text.length;
      while (end < length) {
        const c = text.charCodeAt(end);
        if (c === 44 /* , */ || c === 10 /* \n */ || c === 13 /* \r */) break;
        end += 1;
      }
      if (end >= length && !final) return undefined;
      fields.push(text.slice(i, end));
      i = end;
    }
    const c = text.charCodeAt(i);
    if (c === 44) {
      i += 1;
      continue;
    }
    if (i >= text.length) return final ? { fields, next: i } : undefined;
    if (c === 13) {
      if (i + 1 >= text.length && !final) return undefined;
      return { fields, next: text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1 };
    }
    if (c === 10) return { fields, next: i + 1 };
    throw new Error(`a quoted field is followed by "${text.charAt(i)}" instead of a comma or a line break`);
  }
}
