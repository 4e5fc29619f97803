/**
 * The ledger handle as the layers above app/ see it: the server opens it and the routes and pages pass it on to
 * the use cases here, never querying it themselves. Its definition stays in data-access/, which owns the database.
 */
export type { Ledger } from "../data-access/database.js";
