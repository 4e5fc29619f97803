// The demo's accounts, one per role, all with the password `demo`. They are made by `muniops demo` in
// its own data directory and nowhere else: `muniops dashboard` never creates an account by itself.
import type { Ledger } from "../data-access/database.js";
import type { Role } from "../auth/roles.js";
import { addUser, findUser, prepareAuthTables } from "../auth/userStore.js";

export const demoPassword = "demo";

export interface DemoUser {
  username: string;
  role: Role;
  displayName: string;
  departments: string[];
}

export const demoUsers: readonly DemoUser[] = [
  { username: "admin", role: "admin", displayName: "Functioneel beheer (demo)", departments: [] },
  { username: "servicemanager", role: "service-manager", displayName: "Servicemanager ICT (demo)", departments: [] },
  {
    username: "controller-burgerzaken",
    role: "department-controller",
    displayName: "Controller Burgerzaken (demo)",
    departments: ["burgerzaken"],
  },
  { username: "operator", role: "operator", displayName: "Beheerpartner operations (demo)", departments: [] },
  { username: "auditor", role: "auditor", displayName: "Auditor (demo)", departments: [] },
];

/** Create the demo accounts that don't exist yet; returns the ones created. */
export async function createDemoUsers(ledger: Ledger): Promise<string[]> {
  await prepareAuthTables(ledger);
  const created: string[] = [];
  for (const user of demoUsers) {
    if (await findUser(ledger, user.username)) continue;
    // addUser checks the name, role and departments and audits the account; only here may the password
    // be shorter than the minimum, because the demo documents it.
    await addUser(
      ledger,
      {
        username: user.username,
        displayName: user.displayName,
        password: demoPassword,
        role: user.role,
        departments: user.departments,
      },
      "muniops demo",
      { allowShortPassword: true },
    );
    created.push(user.username);
  }
  return created;
}
