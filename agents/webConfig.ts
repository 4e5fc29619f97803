// --web.config.file, in the Prometheus exporter-toolkit format, so the same file works for this agent
// and node_exporter:
//   tls_server_config: { cert_file: server.crt, key_file: server.key }
//   basic_auth_users: { prometheus: $2y$10$... }   (bcrypt hashes, never plain passwords)
// Relative paths are relative to the config file. Unknown keys are errors, as in exporter-toolkit.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { UsageError } from "../errors.js";

const bcryptHash = z
  .string()
  .regex(/^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/, "must be a bcrypt hash (htpasswd -nBC 10 \"\" | tr -d ':\\n')");

const webConfigSchema = z
  .object({
    tls_server_config: z
      .object({
        cert_file: z.string().min(1),
        key_file: z.string().min(1),
        min_version: z.enum(["TLS12", "TLS13"]).optional(),
      })
      .strict()
      .optional(),
    http_server_config: z
      .object({ headers: z.record(z.string(), z.string()).optional() })
      .strict()
      .optional(),
    basic_auth_users: z.record(z.string().min(1), bcryptHash).optional(),
  })
  .strict();

export interface WebConfig {
  tls?: { cert: Buffer; key: Buffer; minVersion: "TLSv1.2" | "TLSv1.3" };
  /** user → bcrypt hash */
  users?: Map<string, string>;
  headers: Record<string, string>;
}

export function readWebConfig(path: string): WebConfig {
  const where = `--web.config.file ${path}`;
  let data: unknown;
  try {
    data = parse(readFileSync(path, "utf8")) ?? {};
  } catch (error) {
    throw new UsageError(`${where}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  const parsed = webConfigSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join(".") ?? "";
    throw new UsageError(`${where}: ${key ? `${key}: ` : ""}${issue?.message ?? "invalid"}`);
  }
  const config: WebConfig = { headers: parsed.data.http_server_config?.headers ?? {} };
  const tls = parsed.data.tls_server_config;
  if (tls) {
    const read = (key: string, file: string): Buffer => {
      const full = resolve(dirname(path), file);
      try {
        return readFileSync(full);
      } catch (error) {
        throw new UsageError(
          `${where}: tls_server_config.${key}: couldn't read ${full}: ` +
            ((error as NodeJS.ErrnoException).code ?? String(error)),
        );
      }
    };
    config.tls = {
      cert: read("cert_file", tls.cert_file),
      key: read("key_file", tls.key_file),
      minVersion: tls.min_version === "TLS13" ? "TLSv1.3" : "TLSv1.2",
    };
  }
  if (parsed.data.basic_auth_users) config.users = new Map(Object.entries(parsed.data.basic_auth_users));
  return config;
}
