/**
 * What a beforeAll assigns is undefined in afterAll when that beforeAll failed, though its type says otherwise;
 * `started(x)?.close()` says so, so cleanup skips what never started and the first error shown is the real one.
 */
export const started = <T>(value: T): T | undefined => value;
