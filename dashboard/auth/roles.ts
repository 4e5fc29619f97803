// The dashboard's roles and what each may see. One table, so the routes, the pages and the tests agree.
export const roles = ["admin", "service-manager", "department-controller", "operator", "auditor"] as const;
export type Role = (typeof roles)[number];

export interface Principal {
  username: string;
  displayName: string;
  role: Role;
  /** For department controllers: the departments they may see. Empty for every other role. */
  departments: readonly string[];
}

/** Roles that may see money (costs, rates, licences, statements). Operators may not. */
export const moneyRoles: readonly Role[] = ["admin", "service-manager", "department-controller", "auditor"];
/** Roles that may see the operations pages. */
export const operationsRoles: readonly Role[] = [
  "admin",
  "service-manager",
  "department-controller",
  "operator",
  "auditor",
];
/** Roles that change the ledger: close periods, adjust, edit rates and licence assignments. */
export const managerRoles: readonly Role[] = ["admin", "service-manager"];
/** Roles that read the audit log. */
export const auditRoles: readonly Role[] = ["admin", "auditor"];
/** Money roles that see organisation-wide purchases (licence contracts): not department controllers. */
export const organisationMoneyRoles: readonly Role[] = ["admin", "service-manager", "auditor"];
/** Roles that read the compliance state (organisation-wide, so not department controllers). */
export const complianceRoles: readonly Role[] = ["admin", "service-manager", "operator", "auditor"];
/** Roles that read patch compliance (BIO2 8.08.01); department controllers only their departments' servers. */
export const patchRoles: readonly Role[] = ["admin", "service-manager", "department-controller", "operator", "auditor"];
/** Roles that price a licence change before asking for it (controllers only for their own departments). */
export const licenceWhatIfRoles: readonly Role[] = ["admin", "service-manager", "department-controller"];
/** Roles that upload an audit report or have the server run one. */
export const complianceWriteRoles: readonly Role[] = ["admin", "auditor"];
/** Roles that sign off or dispute a statement (controllers only for their own departments). */
export const signOffRoles: readonly Role[] = ["admin", "department-controller"];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** Whether `principal` may see department `id`'s data. */
export function canSeeDepartment(principal: Principal, id: string): boolean {
  return principal.role !== "department-controller" || principal.departments.includes(id);
}

/** The departments a principal is limited to, or undefined when it sees all of them. */
export function departmentScope(principal: Principal): readonly string[] | undefined {
  return principal.role === "department-controller" ? principal.departments : undefined;
}
