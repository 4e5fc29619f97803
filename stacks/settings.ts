// The settings of `muniops plan`, declared once (flag > MUNIOPS_* env > config file > default).
import { z } from "zod";
import { defineSetting } from "../settings.js";

export const planSettings = {
  stack: defineSetting({
    key: "plan.stack",
    type: "string",
    schema: z.string().regex(/^[A-Za-z0-9_.-]+$/, "a stack name is letters, digits, '-', '_' and '.'"),
    default: "dev",
    flag: "--stack",
    description: "the stack to plan: its settings are Pulumi.<stack>.yaml next to Pulumi.yaml",
  }),
};
