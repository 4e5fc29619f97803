// Values a policy cannot judge. CrossGuard hands policies their properties behind a proxy that throws
// UnknownValueError on any read of a value Pulumi knows only after `pulumi up` (proxy.js in
// @pulumi/policy 1.21.0), so the policy gives no verdict instead of a wrong one. The offline audit uses the
// same proxy logic and the same error class, and extends it to secrets the document hides: reading one
// throws SecretValueError, with the same effect. proxy.js is internal to @pulumi/policy (its .d.ts exports
// nothing), hence the require and the types.
import { createRequire } from "node:module";
import { hiddenSecret } from "./secrets.js";

interface ProxyModule {
  UnknownValueError: new (sentinel: string, props: PropertyKey[]) => Error;
  isSpecialProxy: string;
  getSpecialProxyTarget: string;
  unknownBooleanValue: string;
  unknownNumberValue: string;
  unknownStringValue: string;
  unknownArrayValue: string;
  unknownAssetValue: string;
  unknownArchiveValue: string;
  unknownObjectValue: string;
}

const require = createRequire(import.meta.url);
const proxyModule = require("@pulumi/policy/proxy.js") as ProxyModule;
const unknownSentinels = new Set<unknown>([
  proxyModule.unknownBooleanValue,
  proxyModule.unknownNumberValue,
  proxyModule.unknownStringValue,
  proxyModule.unknownArrayValue,
  proxyModule.unknownAssetValue,
  proxyModule.unknownArchiveValue,
  proxyModule.unknownObjectValue,
]);

/** A read of a secret that the document hides ("[secret]", or a secret with only its ciphertext). */
export class SecretValueError extends Error {
  constructor(readonly props: readonly PropertyKey[]) {
    super(`the value at .${props.map(String).join(".")} is a secret the document hides`);
    this.name = "SecretValueError";
  }
}

export function unknownCheckingProxy<T extends object>(value: T): T {
  return proxyHelper(value, []) as T;
}

function proxyHelper(value: unknown, path: PropertyKey[]): unknown {
  if (!(value instanceof Object)) return value;
  return new Proxy(value, {
    get: (target: Record<PropertyKey, unknown>, prop) => {
      if (prop === proxyModule.isSpecialProxy) return true;
      if (prop === proxyModule.getSpecialProxyTarget) return target;
      const field = target[prop];
      if (field === hiddenSecret) throw new SecretValueError([...path, prop]);
      if (unknownSentinels.has(field)) throw new proxyModule.UnknownValueError(field as string, [...path, prop]);
      // The V8 Proxy invariant: a non-configurable, non-writable own data property must be returned as is
      // (Array.prototype.filter reads `.prototype` of the proxied Array constructor), as CrossGuard does.
      const descriptor = Object.getOwnPropertyDescriptor(target, prop);
      if (descriptor && "value" in descriptor && descriptor.configurable === false && descriptor.writable === false)
        return field;
      return proxyHelper(field, [...path, prop]);
    },
  });
}

export function isUnknownValueError(error: unknown): error is Error {
  return error instanceof proxyModule.UnknownValueError;
}

export function isSecretValueError(error: unknown): error is SecretValueError {
  return error instanceof SecretValueError;
}
