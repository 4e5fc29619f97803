// From validated ID token claims to a muniops account: which role, which departments, which name. Pure,
// so every rule is tested on plain objects. Nothing is granted by default: claims that map to no role,
// or a department-controller without a department, are refused with the reason.
import { departmentIdPattern } from "../../contracts/inventory.js";
import type { ClaimMapping } from "./oidcSettings.js";
import type { Role } from "./roles.js";

export interface MappedAccount {
  /** Shown and audited: the user's sign-in name (UPN or e-mail), lowercased; the subject when there is none. */
  username: string;
  displayName: string;
  role: Role;
  departments: string[];
}

export type RefusalReason = "no-role" | "no-department" | "group-overage" | "no-subject";
export type MappingResult = { ok: true; account: MappedAccount } | { ok: false; reason: RefusalReason; detail: string };

/** Of several roles, the widest wins: a user who is also an auditor should not lose their admin rights. */
export const rolePrecedence: readonly Role[] = [
  "admin",
  "service-manager",
  "auditor",
  "department-controller",
  "operator",
];

type Claims = Readonly<Record<string, unknown>>;

/** A claim's values as strings: Entra ID sends arrays, other providers sometimes one string. */
export function claimValues(claims: Claims, name: string): string[] {
  const value = claims[name];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/**
 * Entra ID leaves the groups out of the token when a user is in more than 200, pointing at Graph
 * instead (`_claim_names`). Mapping from the partial picture would be wrong either way.
 */
function groupsOverflowed(claims: Claims, groupClaim: string): boolean {
  const names = claims._claim_names;
  return claims[groupClaim] === undefined && typeof names === "object" && names !== null && groupClaim in names;
}

function nameOf(claims: Claims, subject: string): string {
  for (const key of ["preferred_username", "email", "upn"]) {
    const value = claims[key];
    if (typeof value === "string" && value.trim() !== "" && value.length <= 254) return value.trim().toLowerCase();
  }
  return `oidc:${subject}`;
}

export function mapClaims(claims: Claims, mapping: ClaimMapping): MappingResult {
  const subject = claims.sub;
  if (typeof subject !== "string" || subject === "")
    return { ok: false, reason: "no-subject", detail: "the ID token has no subject (sub)" };
  if (
    groupsOverflowed(claims, mapping.groupClaim) &&
    (mapping.roleClaim === mapping.groupClaim || Object.keys(mapping.groupDepartments).length > 0)
  ) {
    return {
      ok: false,
      reason: "group-overage",
      detail:
        `the ID token lists no ${mapping.groupClaim} because the user is in too many groups: emit only the ` +
        `groups assigned to the application`,
    };
  }
  const granted = new Set(
    claimValues(claims, mapping.roleClaim).flatMap((value) =>
      Object.hasOwn(mapping.roles, value) ? [mapping.roles[value] as Role] : [],
    ),
  );
  const role = rolePrecedence.find((r) => granted.has(r));
  if (!role)
    return {
      ok: false,
      reason: "no-role",
      detail: `no value of the ${mapping.roleClaim} claim maps to a muniops role`,
    };

  let departments: string[] = [];
  if (role === "department-controller") {
    const fromClaim = mapping.departmentClaim ? claimValues(claims, mapping.departmentClaim) : [];
    const fromGroups = claimValues(claims, mapping.groupClaim).flatMap((group) =>
      Object.hasOwn(mapping.groupDepartments, group) ? [mapping.groupDepartments[group] as string] : [],
    );
    departments = [
      ...new Set(
        [...fromClaim, ...fromGroups].map((d) => d.trim().toLowerCase()).filter((d) => departmentIdPattern.test(d)),
      ),
    ].sort();
    if (departments.length === 0)
      return {
        ok: false,
        reason: "no-department",
        detail: "a department-controller needs a department: none came from the department claim or the group mapping",
      };
  }
  const name =
    typeof claims.name === "string" && claims.name.trim() !== "" ? claims.name.trim().slice(0, 200) : undefined;
  const username = nameOf(claims, subject);
  return { ok: true, account: { username, displayName: name ?? username, role, departments } };
}
