// Reading resource properties safely. CrossGuard hands policies a proxy that throws UnknownValueError
// on any access to a value that is unknown during preview; these helpers only use plain property
// access, so that throw reaches the runner and the rule gives no verdict instead of a wrong one.

export type Props = Record<string, unknown>;

/** The value at a property path, or undefined when any step is missing or not an object. */
export function at(value: unknown, ...path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export function arrayAt(value: unknown, ...path: readonly (string | number)[]): unknown[] {
  const found = at(value, ...path);
  if (!Array.isArray(found)) return [];
  // Index access (not spread) so each element still goes through the unknown-checking proxy.
  const items: unknown[] = [];
  for (let i = 0; i < found.length; i++) items.push((found as unknown[])[i]);
  return items;
}

export function stringAt(value: unknown, ...path: readonly (string | number)[]): string | undefined {
  const found = at(value, ...path);
  return typeof found === "string" ? found : undefined;
}

/** How a found value reads in a violation message: `"TLS1_0"`, `false`, or `not set`. */
export function shown(value: unknown): string {
  if (value === undefined || value === null) return "not set";
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return JSON.stringify(value);
  } catch (error) {
    // Circular structures only; an unknown preview value must still reach the runner.
    if (error instanceof TypeError) return "(unprintable)";
    throw error;
  }
}

/** Azure accepts display names ("West Europe") and programmatic names ("westeurope") alike. */
export function normalizeLocation(location: string): string {
  return location.toLowerCase().replace(/\s+/g, "");
}

/** The logical name in a Pulumi URN (`urn:pulumi:stack::project::type::name`). */
export function nameOfUrn(urn: string): string {
  const at = urn.lastIndexOf("::");
  return at === -1 ? urn : urn.slice(at + 2);
}

/** The stack in a Pulumi URN. */
export function stackOfUrn(urn: string): string {
  const head = urn.split("::")[0] ?? "";
  return head.replace(/^urn:pulumi:/, "");
}
