// The agent's own settings (the collectors declare theirs in their files). Flags follow node_exporter,
// so operators who know it need nothing new: --web.listen-address, --path.procfs, --collector.<id>.
import { defineSetting, z } from "../settings.js";

export const agentSettings = {
  listenAddress: defineSetting({
    key: "agent.web.listenAddress",
    type: "string",
    schema: z.string().min(1),
    default: ":9110",
    flag: "--web.listen-address",
    description: "address to serve /metrics on, [host]:port (empty host: every interface)",
  }),
  webConfigFile: defineSetting({
    key: "agent.web.configFile",
    type: "string",
    schema: z.string().min(1),
    flag: "--web.config.file",
    description:
      "exporter-toolkit web config (TLS certificate and key, basic_auth_users with bcrypt hashes); plain " +
      "HTTP without it",
  }),
  maxRequests: defineSetting({
    key: "agent.web.maxRequests",
    type: "number",
    schema: z.number().int().nonnegative(),
    default: 40,
    flag: "--web.max-requests",
    description:
      "most /metrics requests served at once; more are answered 503 (node_exporter's flag; 0 means no limit)",
  }),
  procfs: defineSetting({
    key: "agent.path.procfs",
    type: "string",
    schema: z.string().min(1),
    default: "/proc",
    flag: "--path.procfs",
    description: "procfs mount point",
  }),
  sysfs: defineSetting({
    key: "agent.path.sysfs",
    type: "string",
    schema: z.string().min(1),
    default: "/sys",
    flag: "--path.sysfs",
    description: "sysfs mount point",
  }),
  rootfs: defineSetting({
    key: "agent.path.rootfs",
    type: "string",
    schema: z.string().min(1),
    default: "/",
    flag: "--path.rootfs",
    description: "root filesystem mount point (for filesystems and os-release)",
  }),
  timeout: defineSetting({
    key: "agent.collector.timeout",
    type: "number",
    schema: z.number().positive(),
    default: 5,
    flag: "--collector.timeout",
    description: "seconds a collector may take before the scrape reports it failed and goes on without it",
  }),
  disableDefaults: defineSetting({
    key: "agent.collector.disableDefaults",
    type: "boolean",
    schema: z.boolean(),
    default: false,
    flag: "--collector.disable-defaults",
    description: "start with every collector off; enable the wanted ones with --collector.<id>",
  }),
};
