// Claims → muniops account, on plain objects shaped like Entra ID's ID tokens.
import { describe, expect, test } from "vitest";
import { mapClaims, type MappingResult } from "../../../dashboard/auth/oidcClaims.js";
import type { ClaimMapping } from "../../../dashboard/auth/oidcSettings.js";

const mapping: ClaimMapping = {
  roleClaim: "roles",
  roles: {
    "Muniops.Admin": "admin",
    "Muniops.ServiceManager": "service-manager",
    "Muniops.Controller": "department-controller",
    "Muniops.Operator": "operator",
    "Muniops.Auditor": "auditor",
  },
  departmentClaim: "department",
  groupClaim: "groups",
  groupDepartments: { "g-bz": "burgerzaken", "g-bel": "belastingen" },
};

const account = (r: MappingResult) => (r.ok ? r.account : r.reason);

describe("mapClaims", () => {
  test("maps the app role and takes the sign-in name, lowercased, and the display name", () => {
    expect(
      account(
        mapClaims(
          { sub: "s1", preferred_username: "J.Jansen@Leiden.nl", name: "Jan Jansen", roles: ["Muniops.Operator"] },
          mapping,
        ),
      ),
    ).toEqual({ username: "j.jansen@leiden.nl", displayName: "Jan Jansen", role: "operator", departments: [] });
  });

  test("falls back to e-mail, then to the subject, for the name", () => {
    expect(account(mapClaims({ sub: "s1", email: "a@b.nl", roles: ["Muniops.Operator"] }, mapping))).toMatchObject({
      username: "a@b.nl",
      displayName: "a@b.nl",
    });
    expect(account(mapClaims({ sub: "s1", roles: ["Muniops.Operator"] }, mapping))).toMatchObject({
      username: "oidc:s1",
    });
  });

  test("of several roles the widest wins, whatever the order in the token", () => {
    expect(account(mapClaims({ sub: "s", roles: ["Muniops.Operator", "Muniops.Auditor"] }, mapping))).toMatchObject({
      role: "auditor",
    });
    expect(
      account(mapClaims({ sub: "s", roles: ["Muniops.Auditor", "Muniops.Admin", "Unknown"] }, mapping)),
    ).toMatchObject({ role: "admin" });
  });

  test("unmapped or missing roles are refused, never defaulted", () => {
    expect(account(mapClaims({ sub: "s", roles: ["Other.Role"] }, mapping))).toBe("no-role");
    expect(account(mapClaims({ sub: "s" }, mapping))).toBe("no-role");
    // A value that only looks like a key of every object must not map.
    expect(account(mapClaims({ sub: "s", roles: ["constructor", "toString", "__proto__"] }, mapping))).toBe("no-role");
    expect(account(mapClaims({ roles: ["Muniops.Admin"] }, mapping))).toBe("no-subject");
  });

  test("a controller's departments come from the department claim and the group mapping, deduplicated", () => {
    expect(
      account(mapClaims({ sub: "s", roles: ["Muniops.Controller"], groups: ["g-bz", "g-other"] }, mapping)),
    ).toMatchObject({ role: "department-controller", departments: ["burgerzaken"] });
    expect(
      account(
        mapClaims(
          { sub: "s", roles: ["Muniops.Controller"], department: "Belastingen", groups: ["g-bz", "g-bel"] },
          mapping,
        ),
      ),
    ).toMatchObject({ departments: ["belastingen", "burgerzaken"] });
    expect(
      account(
        mapClaims(
          { sub: "s", roles: ["Muniops.Controller"], groups: ["g-other"], department: "not a department!" },
          mapping,
        ),
      ),
    ).toBe("no-department");
  });

  test("other roles carry no departments, whatever the groups say", () => {
    expect(
      account(mapClaims({ sub: "s", roles: ["Muniops.ServiceManager"], groups: ["g-bz"] }, mapping)),
    ).toMatchObject({ departments: [] });
  });

  test("Entra ID's group overage (too many groups, a pointer to Graph instead) is refused when groups matter", () => {
    const overage = {
      sub: "s",
      roles: ["Muniops.Controller"],
      _claim_names: { groups: "src1" },
      _claim_sources: { src1: { endpoint: "https://graph.microsoft.com/..." } },
    };
    expect(account(mapClaims(overage, mapping))).toBe("group-overage");
    expect(
      account(mapClaims({ ...overage, roles: ["Muniops.Auditor"] }, { ...mapping, groupDepartments: {} })),
    ).toMatchObject({ role: "auditor" });
  });
});
