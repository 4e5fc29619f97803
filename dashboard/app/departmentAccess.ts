// The department scoping every use case and read model applies: a department controller sees and changes
// only their own departments. Routes of both entry points call it for every department id a request names,
// in the path, query or body; the use cases call it again for the ids in their input.
import { canSeeDepartment, type Principal } from "../auth/roles.js";
import { forbidden } from "./appError.js";

export function assertDepartment(principal: Principal, id: string): void {
  if (!canSeeDepartment(principal, id)) throw forbidden(`department "${id}"`);
}
