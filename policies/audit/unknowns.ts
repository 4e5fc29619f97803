// CrossGuard's own unknown-value handling, reused so the offline audit treats preview unknowns exactly as
// `pulumi preview --policy-pack` does: any read of an unknown throws, and the policy gives no verdict.
// proxy.js is internal to @pulumi/policy (its .d.ts exports nothing), hence the require and the types.
import { createRequire } from "node:module";

interface ProxyModule {
  unknownCheckingProxy<T extends object>(value: T): T;
  UnknownValueError: new (...args: never[]) => Error;
}

const require = createRequire(import.meta.url);
const proxyModule = require("@pulumi/policy/proxy.js") as ProxyModule;

export function unknownCheckingProxy<T extends object>(value: T): T {
  return proxyModule.unknownCheckingProxy(value);
}

export function isUnknownValueError(error: unknown): error is Error {
  return error instanceof proxyModule.UnknownValueError;
}
