// Deterministic randomness for the fleet simulator: the same seed and host name give the same fleet on
// every machine and every run, so the demo's history, its live metrics and its tests agree.

/** FNV-1a over the text: a 32-bit seed from a name. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, fast PRNG with a 32-bit state; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator for one purpose of one subject: `rng(seed, "bz-app-01", "outages", "2026-10")`. */
export function rng(seed: number, ...parts: readonly string[]): () => number {
  return mulberry32(hashSeed(`${seed}\u0000${parts.join("\u0000")}`));
}

/** A value in [min, max) from a generator. */
export function between(random: () => number, min: number, max: number): number {
  return min + (max - min) * random();
}
