import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "storage-fileservice-require-smb-encryption",
  displayName: "Azure Files uses SMB 3.1.1 with AES-256-GCM",
  description: "Department file shares only speak SMB 3.1.1 with AES-256-GCM channel encryption.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.05.1"],
  bio2Measures: ["8.21.04", "8.24.04"],
  isoControls: ["8.24", "8.21"],
  remediationSteps:
    'Set `protocolSettings.smb.versions: "SMB3.1.1"` and `protocolSettings.smb.channelEncryption: "AES-256-GCM"`.',
  resourceTypes: ["azure-native:storage:FileServiceProperties"],
  validateResource(args, reportViolation) {
    const versions = at(args.props, "protocolSettings", "smb", "versions");
    const channel = at(args.props, "protocolSettings", "smb", "channelEncryption");
    const list = (value: unknown): string[] =>
      typeof value === "string"
        ? value
            .split(";")
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
    const v = list(versions);
    const c = list(channel);
    if (v.length === 0 || v.some((x) => x !== "SMB3.1.1"))
      reportViolation(`protocolSettings.smb.versions is ${shown(versions)}; set it to "SMB3.1.1"`);
    if (c.length === 0 || c.some((x) => x !== "AES-256-GCM"))
      reportViolation(`protocolSettings.smb.channelEncryption is ${shown(channel)}; set it to "AES-256-GCM"`);
  },
});
