import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { linuxAgentCloudInit, windowsAgentScript } from "../../stacks/cloudInit.js";

const agent = { packageUrl: "https://artifacts.example.nl/muniops-agent.tar.gz", port: 9110 };

describe("custom data that installs the agent", () => {
  it("is valid cloud-config that installs, enables and starts the agent as an unprivileged service", () => {
    const text = linuxAgentCloudInit(agent, {
      packages: ["prometheus"],
      writeFiles: [{ path: "/etc/x.json", content: '{"a": 1}' }],
    });
    expect(text.startsWith("#cloud-config\n")).toBe(true);
    const doc = parse(text) as {
      packages: string[];
      write_files: { path: string; content: string }[];
      runcmd: string[];
      users: unknown[];
    };
    expect(doc.packages).toEqual(["nodejs", "prometheus"]);
    const unit = doc.write_files.find((f) => f.path === "/etc/systemd/system/muniops-agent.service")!;
    expect(unit.content).toContain("ExecStart=/usr/bin/node /opt/muniops/muniops.js agent --listen 0.0.0.0:9110");
    expect(unit.content).toContain("User=muniops");
    expect(doc.write_files.find((f) => f.path === "/etc/x.json")!.content.trim()).toBe('{"a": 1}');
    expect(doc.runcmd).toContain("systemctl enable --now muniops-agent.service");
    expect(doc.runcmd.some((c) => c.includes("'https://artifacts.example.nl/muniops-agent.tar.gz'"))).toBe(true);
  });

  it("quotes the package URL for the shell", () => {
    const text = linuxAgentCloudInit({ ...agent, packageUrl: "https://x.nl/a'; rm -rf /'" });
    expect(text).toContain("'https://x.nl/a'\\''; rm -rf /'\\'''");
  });

  it("gives Windows a PowerShell script that opens the agent port and installs the service", () => {
    const script = windowsAgentScript(agent);
    expect(script).toContain("-LocalPort 9110");
    expect(script).toContain(
      "Invoke-WebRequest -UseBasicParsing -Uri 'https://artifacts.example.nl/muniops-agent.tar.gz'",
    );
  });
});
