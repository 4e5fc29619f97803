// The inventory: who owns which server and share, typed once for every part. The Pulumi program in stacks/
// writes it (the stack output `inventory`, and `inventory.json` from `muniops plan --inventory`); the agents'
// Prometheus config, rollout and agentless collection, and the dashboard's metering, ledger and demo read it.
// This zod schema is the single definition, and every reader and the writer validate through it;
// inventory.schema.json beside it is generated from it (a test keeps the two equal) for tools outside muniops.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { UsageError } from "../errors.js";

export const departmentIdPattern = /^[a-z][a-z0-9-]{1,30}$/;
export const departmentId = z
  .string()
  .regex(
    departmentIdPattern,
    "a department id is lowercase letters, digits and dashes, 2–31 characters, starting with a letter (e.g. " +
      "burgerzaken)",
  );
export const costCenter = z.string().regex(/^KP-\d{3,6}$/, "a cost centre looks like KP-4100");

export const inventoryDepartment = z.object({
  id: departmentId,
  name: z.string().min(1),
  costCenter,
  headcount: z.number().int().nonnegative(),
  annualBudgetEur: z.number().nonnegative().optional(),
});

export const inventoryDisk = z.object({
  name: z.string().min(1),
  sizeGiB: z.number().int().positive(),
  sku: z.string().min(1),
});

// An agent's address: IPv4 (dotted quad, each part 0–255), IPv6 (without a zone), or a DNS name as RFC 1123
// allows it: labels of letters, digits and inner dashes, at most 63 characters each and 253 in all, the
// last one starting with a letter (RFC 1123 2.1: the top-level label is alphabetic, so a mistyped
// 10.0.0.256 or 10.0.0.1a is no name either). One pattern, so the JSON Schema carries the same rule.
const ipv4 = String.raw`(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)`;
const ipv6Groups = [
  String.raw`(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}`,
  String.raw`(?:[0-9a-fA-F]{1,4}:){1,7}:`,
  ...[1, 2, 3, 4, 5, 6].map((n) => String.raw`(?:[0-9a-fA-F]{1,4}:){1,${7 - n}}(?::[0-9a-fA-F]{1,4}){1,${n}}`),
  String.raw`:(?:(?::[0-9a-fA-F]{1,4}){1,7}|:)`,
];
const label = String.raw`[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?`;
const dnsName = String.raw`(?=.{1,253}$)(?:${label}\.)*[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?`;
export const hostAddressPattern = new RegExp(`^(?:${ipv4}|${ipv6Groups.join("|")}|${dnsName})$`);

export const hostAddress = z.string().regex(hostAddressPattern, {
  error: (issue) =>
    `an address is an IPv4 or IPv6 address or a DNS name (RFC 1123), got ${JSON.stringify(issue.input)}`,
});

export const inventoryHost = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "a host name is lowercase letters, digits and dashes"),
  address: hostAddress,
  agentPort: z.number().int().min(1).max(65535),
  department: departmentId,
  service: z.string().min(1),
  role: z.string().min(1),
  environment: z.enum(["prod", "acc", "test", "dev"]),
  os: z.enum(["linux", "windows"]),
  vmSize: z.string().min(1),
  vcpus: z.number().int().positive(),
  memoryGiB: z.number().positive(),
  disks: z.array(inventoryDisk),
  /** How usage is measured: by the muniops agent (default) or agentless over SSH (appliances). */
  collect: z.enum(["agent", "ssh"]).optional(),
});

export const inventoryShare = z.object({
  name: z.string().min(1),
  department: departmentId,
  quotaGiB: z.number().int().positive(),
  tier: z.enum(["TransactionOptimized", "Hot", "Cool", "Premium"]),
});

export const inventorySchema = z
  .object({
    schemaVersion: z.literal(1),
    organization: z.string().min(1),
    stack: z.string().min(1),
    departments: z.array(inventoryDepartment),
    hosts: z.array(inventoryHost),
    shares: z.array(inventoryShare),
  })
  .superRefine((inv, ctx) => {
    // Names are keys downstream (Prometheus targets, ledger rows, file shares): a second one would silently
    // merge with or replace the first.
    const keyed = [
      ["departments", "id", inv.departments.map((d) => d.id)],
      ["hosts", "name", inv.hosts.map((h) => h.name)],
      ["shares", "name", inv.shares.map((s) => s.name)],
    ] as const;
    for (const [list, field, keys] of keyed) {
      const first = new Map<string, number>();
      keys.forEach((key, i) => {
        const seen = first.get(key);
        if (seen === undefined) first.set(key, i);
        else {
          const message = `duplicate ${field} "${key}" (${list}.${seen} has it too)`;
          ctx.addIssue({ code: "custom", path: [list, i, field], message });
        }
      });
    }
    const known = new Set(inv.departments.map((d) => d.id));
    inv.hosts.forEach((h, i) => {
      if (!known.has(h.department))
        ctx.addIssue({
          code: "custom",
          path: ["hosts", i, "department"],
          message: `unknown department "${h.department}"`,
        });
    });
    inv.shares.forEach((s, i) => {
      if (!known.has(s.department))
        ctx.addIssue({
          code: "custom",
          path: ["shares", i, "department"],
          message: `unknown department "${s.department}"`,
        });
    });
  });

export type Inventory = z.infer<typeof inventorySchema>;
export type InventoryHost = z.infer<typeof inventoryHost>;
export type InventoryShare = z.infer<typeof inventoryShare>;
export type InventoryDepartment = z.infer<typeof inventoryDepartment>;

/** Validate an inventory, listing every problem with its JSON path. */
export function parseInventory(data: unknown, source: string): Inventory {
  const result = inventorySchema.safeParse(data);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (issue) => `  ${source}: ${issue.path.join(".") || "(root)"}: ${issue.message}`,
  );
  throw new UsageError(
    [`invalid inventory (${lines.length} problem${lines.length === 1 ? "" : "s"}):`, ...lines].join("\n"),
  );
}

/** Read and validate inventory.json. */
export function readInventory(path: string): Inventory {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`couldn't read inventory ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`couldn't read inventory ${path}: not valid JSON (${(error as Error).message})`);
  }
  return parseInventory(data, path);
}

/** The JSON Schema for inventory.json, generated from the zod schema. */
export function inventoryJsonSchema(): Record<string, unknown> {
  return {
    $id: "https://muniops.example/schemas/inventory.schema.json",
    title: "muniops inventory",
    ...z.toJSONSchema(inventorySchema, { target: "draft-2020-12" }),
  };
}
