// Azure names derived from the stack name, so two stacks never collide and names are stable across
// runs (no random suffixes: an auditor can find `st<stack>files` in the portal).

/** "leiden-prod" → "leidenprod" (letters and digits, at most 14: room for "st" + "files" in 24). */
export function compactName(stack: string): string {
  return stack
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(0, 14);
}

export function resourceGroupName(stack: string, area: string): string {
  return `rg-${stack}-${area}`;
}

/** Storage account names: 3–24 lowercase letters and digits, globally unique. */
export function storageAccountName(stack: string, purpose: string): string {
  return `st${compactName(stack)}${purpose}`.slice(0, 24);
}

/** Key Vault names: 3–24 letters, digits and dashes, globally unique. */
export function keyVaultName(stack: string): string {
  return `kv-${compactName(stack)}`.slice(0, 24);
}
