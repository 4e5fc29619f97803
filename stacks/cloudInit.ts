// Custom data for the VMs: cloud-init (Linux) and a PowerShell script (Windows) that install the muniops
// agent and start it as a service, so every server reports from its first boot. Pure text builders,
// tested on their output.

export interface AgentInstall {
  packageUrl: string;
  port: number;
}

/** A Linux VM: install Node.js 20 and the agent, run it under systemd as an unprivileged user. */
export function linuxAgentCloudInit(
  agent: AgentInstall,
  extra: { packages?: string[]; writeFiles?: { path: string; content: string }[]; runcmd?: string[] } = {},
): string {
  const files = [
    {
      path: "/etc/systemd/system/muniops-agent.service",
      content: [
        "[Unit]",
        "Description=muniops agent (Prometheus metrics for central ICT chargeback)",
        "After=network-online.target",
        "Wants=network-online.target",
        "",
        "[Service]",
        "User=muniops",
        `ExecStart=/usr/bin/node /opt/muniops/muniops.js agent --listen 0.0.0.0:${agent.port}`,
        "Restart=always",
        "NoNewPrivileges=true",
        "ProtectSystem=strict",
        "ProtectHome=true",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
      ].join("\n"),
    },
    ...(extra.writeFiles ?? []),
  ];
  const lines = [
    "#cloud-config",
    "package_update: true",
    "packages:",
    ...["nodejs", ...(extra.packages ?? [])].map((p) => `  - ${p}`),
    "users:",
    "  - default",
    "  - name: muniops",
    "    system: true",
    "    shell: /usr/sbin/nologin",
    "write_files:",
    ...files.flatMap((f) => [
      `  - path: ${f.path}`,
      "    permissions: '0644'",
      "    content: |",
      ...f.content.split("\n").map((l) => (l === "" ? "" : `      ${l}`)),
    ]),
    "runcmd:",
    "  - mkdir -p /opt/muniops",
    `  - curl -fsSL --proto '=https' ${quoteShell(agent.packageUrl)} | tar -xz -C /opt/muniops`,
    "  - systemctl daemon-reload",
    "  - systemctl enable --now muniops-agent.service",
    ...(extra.runcmd ?? []).map((c) => `  - ${c}`),
    "",
  ];
  return lines.join("\n");
}

/** A Windows VM: the CustomScriptExtension runs this from C:\AzureData\CustomData.bin. */
export function windowsAgentScript(agent: AgentInstall): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    "New-Item -ItemType Directory -Force -Path 'C:\\Program Files\\muniops' | Out-Null",
    `Invoke-WebRequest -UseBasicParsing -Uri '${agent.packageUrl.replace(/'/g, "''")}' -OutFile ` +
      `"$env:TEMP\\muniops-agent.zip"`,
    "Expand-Archive -Force -Path \"$env:TEMP\\muniops-agent.zip\" -DestinationPath 'C:\\Program Files\\muniops'",
    `New-NetFirewallRule -DisplayName 'muniops agent' -Direction Inbound -Protocol TCP -LocalPort ` +
      `${agent.port} -Action Allow | Out-Null`,
    `& 'C:\\Program Files\\muniops\\install-service.ps1' -Listen '0.0.0.0:${agent.port}'`,
    "",
  ].join("\r\n");
}

function quoteShell(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

export function base64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}
