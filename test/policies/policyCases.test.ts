// Per policy: start from the compliant baseline preview, change one property, and assert the exact
// violation — and that nothing else fires. Runs through audit(), i.e. with CrossGuard's argument shapes.
/* eslint-disable @typescript-eslint/no-unsafe-member-access -- cases mutate arbitrary preview JSON */
import { describe, expect, it } from "vitest";
import { audit } from "../../policies/audit/evaluate.js";
import { policies } from "../../policies/catalog.js";
import { unknownValue } from "../../contracts/pulumiDocuments.js";
import { compliantSpecs, documentOf, previewOf } from "../fixtures/policies/compliantPreview.js";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function findingsAfter(resource: string, mutate: (inputs: Inputs) => void): string[] {
  const specs = structuredClone(compliantSpecs(1));
  const spec = specs.find((s) => s.name === resource);
  if (!spec) throw new Error(`no resource ${resource} in the baseline`);
  mutate(spec.inputs);
  return audit(documentOf(previewOf(specs))).findings.map((f) => `${f.outcome} ${f.policyId}: ${f.message}`);
}

interface Case {
  policy: string;
  resource: string;
  change: string;
  mutate: (inputs: Inputs) => void;
  expected: string[];
  /** Findings of other policies the same change causes (stack policies that see the same property). */
  also?: string[];
}

const cases: Case[] = [
  {
    policy: "azure-resource-require-tags",
    resource: "stbzshares",
    change: "drop costCenter and service",
    mutate: (i) => {
      delete i.tags.costCenter;
      delete i.tags.service;
    },
    expected: ["missing tags costCenter, service; add them to tags"],
  },
  {
    policy: "azure-resource-require-known-department",
    resource: "stbzshares",
    change: "unknown department",
    mutate: (i) => {
      i.tags.department = "sport";
    },
    expected: ['department tag is "sport", which is not in the stack configuration; use one of ict, burgerzaken'],
    also: [
      'azure-department-require-cost-centre: department "sport" is used but not in the configuration; ' +
        "declare it with a cost centre",
    ],
  },
  {
    policy: "azure-resource-require-eu-location",
    resource: "kv-muniops",
    change: "US location",
    mutate: (i) => {
      i.location = "eastus";
    },
    expected: ['location is "eastus"; use one of westeurope, northeurope, global'],
  },
  {
    policy: "azure-resource-require-managed-by-pulumi",
    resource: "kv-muniops",
    change: "managedBy terraform",
    mutate: (i) => {
      i.tags.managedBy = "terraform";
    },
    expected: ['managedBy tag is "terraform"; set it to "pulumi"'],
  },
  {
    policy: "azure-resource-require-known-environment",
    resource: "kv-muniops",
    change: "environment production",
    mutate: (i) => {
      i.tags.environment = "production";
    },
    expected: ['environment tag is "production"; use one of prod, acc, test, dev'],
  },
  {
    policy: "compute-virtualmachine-require-encryption-at-host",
    resource: "bz-app-01",
    change: "encryption at host off",
    mutate: (i) => {
      i.securityProfile.encryptionAtHost = false;
    },
    expected: ["securityProfile.encryptionAtHost is false; set it to true"],
  },
  {
    policy: "compute-virtualmachine-require-trusted-launch",
    resource: "bz-app-01",
    change: "vTPM off",
    mutate: (i) => {
      i.securityProfile.uefiSettings.vTpmEnabled = false;
    },
    expected: ["securityProfile.uefiSettings.vTpmEnabled is false; set it to true"],
  },
  {
    policy: "compute-virtualmachine-require-managed-disks",
    resource: "bz-app-01",
    change: "VHD OS disk",
    mutate: (i) => {
      i.storageProfile.osDisk.vhd = { uri: "https://st/vhds/os.vhd" };
    },
    expected: ["storageProfile.osDisk uses an unmanaged VHD; use a managed disk (managedDisk) instead"],
  },
  {
    policy: "compute-virtualmachine-disallow-password-authentication",
    resource: "bz-app-01",
    change: "password login",
    mutate: (i) => {
      i.osProfile.linuxConfiguration.disablePasswordAuthentication = false;
    },
    expected: ["osProfile.linuxConfiguration.disablePasswordAuthentication is false; set it to true and use SSH keys"],
  },
  {
    policy: "compute-virtualmachine-require-allowed-size",
    resource: "bz-app-01",
    change: "M-series size",
    mutate: (i) => {
      i.hardwareProfile.vmSize = "Standard_M128s";
    },
    expected: [],
  },
  {
    policy: "network-networksecuritygroup-disallow-internet-ssh",
    resource: "nsg-app",
    change: "SSH from Internet",
    mutate: (i) => {
      i.securityRules[1].sourceAddressPrefix = "Internet";
      i.securityRules[1].destinationPortRanges = ["22"];
    },
    expected: [
      "rule allow-ssh-from-bastion allows SSH from Internet (ports 22); restrict the source to the " +
        "management network or remove the rule",
    ],
  },
  {
    policy: "network-networksecuritygroup-disallow-internet-rdp",
    resource: "nsg-app",
    change: "RDP range from 0.0.0.0/0",
    mutate: (i) => {
      i.securityRules[1].sourceAddressPrefix = "0.0.0.0/0";
      i.securityRules[1].destinationPortRanges = ["3000-4000"];
    },
    expected: [
      "rule allow-ssh-from-bastion allows RDP from 0.0.0.0/0 (ports 3000-4000); restrict the source to the " +
        "management network or remove the rule",
    ],
  },
  {
    policy: "network-networkinterface-disallow-public-ip",
    resource: "bz-app-01-nic",
    change: "public IP",
    mutate: (i) => {
      i.ipConfigurations[0].publicIPAddress = { id: "/subscriptions/0000/x/publicIPAddresses/pip" };
    },
    expected: ["ipconfig1 has a public IP address; remove publicIPAddress and publish the service through the hub"],
  },
  {
    policy: "network-networkinterface-disallow-ip-forwarding",
    resource: "bz-app-01-nic",
    change: "IP forwarding",
    mutate: (i) => {
      i.enableIPForwarding = true;
    },
    expected: ["enableIPForwarding is true; set it to false"],
  },
  {
    policy: "network-applicationgateway-require-waf-prevention",
    resource: "agw-loket",
    change: "legacy WAF in Detection",
    mutate: (i) => {
      delete i.firewallPolicy;
      i.webApplicationFirewallConfiguration = {
        enabled: true,
        firewallMode: "Detection",
        ruleSetType: "OWASP",
        ruleSetVersion: "3.2",
      };
    },
    expected: ['webApplicationFirewallConfiguration.firewallMode is "Detection"; set it to "Prevention"'],
  },
  {
    policy: "network-webapplicationfirewallpolicy-require-prevention-mode",
    resource: "waf-loket",
    change: "Detection mode",
    mutate: (i) => {
      i.policySettings.mode = "Detection";
    },
    expected: ['policySettings.mode is "Detection"; set it to "Prevention"'],
  },
  {
    policy: "network-webapplicationfirewallpolicy-require-managed-rules",
    resource: "waf-loket",
    change: "no managed rule set",
    mutate: (i) => {
      i.managedRules.managedRuleSets = [];
    },
    expected: ["managedRules.managedRuleSets has no rule set; add the OWASP 3.2 or Microsoft_DefaultRuleSet rule set"],
  },
  {
    policy: "network-applicationgateway-require-tls12-policy",
    resource: "agw-loket",
    change: "old predefined policy",
    mutate: (i) => {
      i.sslPolicy.policyName = "AppGwSslPolicy20150501";
    },
    expected: ['sslPolicy.policyName is "AppGwSslPolicy20150501"; use "AppGwSslPolicy20220101S"'],
  },
  {
    policy: "network-applicationgateway-require-https-listeners",
    resource: "agw-loket",
    change: "HTTP without redirect",
    mutate: (i) => {
      i.requestRoutingRules = [];
    },
    expected: ['listener http uses HTTP without a redirect; set protocol "Https" or redirect to HTTPS'],
  },
  {
    policy: "network-firewallpolicy-require-threat-intel-deny",
    resource: "afwp-hub",
    change: "Alert only",
    mutate: (i) => {
      i.threatIntelMode = "Alert";
    },
    expected: ['threatIntelMode is "Alert"; set it to "Deny"'],
  },
  {
    policy: "network-firewallpolicy-require-idps-deny",
    resource: "afwp-hub",
    change: "IDPS Alert",
    mutate: (i) => {
      i.intrusionDetection.mode = "Alert";
    },
    expected: ['intrusionDetection.mode is "Alert"; set it to "Deny"'],
  },
  {
    policy: "network-azurefirewall-require-firewall-policy",
    resource: "afw-hub",
    change: "classic rules",
    mutate: (i) => {
      i.networkRuleCollections = [{ name: "legacy" }];
    },
    expected: ["classic rule collections are used (networkRuleCollections); move them into the firewall policy"],
  },
  {
    policy: "network-publicipaddress-require-ddos-protection",
    resource: "pip-loket",
    change: "DDoS disabled",
    mutate: (i) => {
      i.ddosSettings.protectionMode = "Disabled";
    },
    expected: [
      'ddosSettings.protectionMode is "Disabled"; set it to "Enabled" or inherit a DDoS protection plan from the VNet',
    ],
  },
  {
    policy: "network-flowlog-require-retention",
    resource: "fl-nsg-app",
    change: "30 days",
    mutate: (i) => {
      i.retentionPolicy.days = 30;
    },
    expected: [
      'retentionPolicy is {"enabled":true,"days":30}; set enabled: true and days >= 90 (or 0 to keep forever)',
    ],
  },
  {
    policy: "network-bastionhost-disallow-shareable-link",
    resource: "bas-hub",
    change: "shareable link",
    mutate: (i) => {
      i.enableShareableLink = true;
    },
    expected: ["enableShareableLink is true; set it to false"],
  },
  {
    policy: "storage-account-require-https",
    resource: "stbzshares",
    change: "HTTP allowed",
    mutate: (i) => {
      i.enableHttpsTrafficOnly = false;
    },
    expected: ["enableHttpsTrafficOnly is false; set it to true"],
  },
  {
    policy: "storage-account-require-tls12",
    resource: "stbzshares",
    change: "TLS 1.0",
    mutate: (i) => {
      i.minimumTlsVersion = "TLS1_0";
    },
    expected: ['minimumTlsVersion is "TLS1_0"; set it to "TLS1_2" or newer'],
  },
  {
    policy: "storage-account-disallow-public-blob-access",
    resource: "stbzshares",
    change: "absent",
    mutate: (i) => {
      delete i.allowBlobPublicAccess;
    },
    expected: ["allowBlobPublicAccess is not set; set it to false"],
  },
  {
    policy: "storage-account-disallow-shared-key",
    resource: "stbzshares",
    change: "shared key on",
    mutate: (i) => {
      i.allowSharedKeyAccess = true;
    },
    expected: ["allowSharedKeyAccess is true; set it to false and use Entra ID"],
  },
  {
    policy: "storage-account-require-default-deny",
    resource: "stbzshares",
    change: "Allow",
    mutate: (i) => {
      i.networkRuleSet.defaultAction = "Allow";
    },
    expected: ['networkRuleSet.defaultAction is "Allow"; set it to "Deny"'],
  },
  {
    policy: "storage-account-require-infrastructure-encryption",
    resource: "stbzshares",
    change: "off",
    mutate: (i) => {
      i.encryption.requireInfrastructureEncryption = false;
    },
    expected: ["encryption.requireInfrastructureEncryption is false; set it to true (at creation)"],
  },
  {
    policy: "storage-account-require-customer-managed-key",
    resource: "stbzshares",
    change: "platform key",
    mutate: (i) => {
      i.encryption.keySource = "Microsoft.Storage";
    },
    expected: ['encryption.keySource is "Microsoft.Storage"; use "Microsoft.Keyvault" with a key in the Key Vault'],
  },
  {
    policy: "storage-account-disallow-public-network-access",
    resource: "stbzshares",
    change: "Enabled",
    mutate: (i) => {
      i.publicNetworkAccess = "Enabled";
    },
    expected: ['publicNetworkAccess is "Enabled"; set it to "Disabled" and use a private endpoint'],
  },
  {
    policy: "storage-fileservice-require-smb-encryption",
    resource: "stbzshares-files",
    change: "AES-128",
    mutate: (i) => {
      i.protocolSettings.smb.channelEncryption = "AES-128-CCM;AES-256-GCM";
    },
    expected: ['protocolSettings.smb.channelEncryption is "AES-128-CCM;AES-256-GCM"; set it to "AES-256-GCM"'],
  },
  {
    policy: "storage-fileservice-require-share-soft-delete",
    resource: "stbzshares-files",
    change: "off",
    mutate: (i) => {
      i.shareDeleteRetentionPolicy.enabled = false;
    },
    expected: ["shareDeleteRetentionPolicy.enabled is false; set it to true with days >= 7"],
  },
  {
    policy: "keyvault-vault-require-soft-delete",
    resource: "kv-muniops",
    change: "off",
    mutate: (i) => {
      i.properties.enableSoftDelete = false;
    },
    expected: ["properties.enableSoftDelete is false; set it to true"],
  },
  {
    policy: "keyvault-vault-require-purge-protection",
    resource: "kv-muniops",
    change: "absent",
    mutate: (i) => {
      delete i.properties.enablePurgeProtection;
    },
    expected: ["properties.enablePurgeProtection is not set; set it to true"],
  },
  {
    policy: "keyvault-vault-require-firewall",
    resource: "kv-muniops",
    change: "Allow",
    mutate: (i) => {
      i.properties.networkAcls.defaultAction = "Allow";
    },
    expected: [
      'properties.networkAcls.defaultAction is "Allow" and publicNetworkAccess is not set; set defaultAction ' +
        'to "Deny" or publicNetworkAccess to "Disabled"',
    ],
  },
  {
    policy: "keyvault-vault-require-rbac-authorization",
    resource: "kv-muniops",
    change: "access policies",
    mutate: (i) => {
      i.properties.enableRbacAuthorization = false;
    },
    expected: ["properties.enableRbacAuthorization is false; set it to true and use role assignments"],
  },
  {
    policy: "keyvault-secret-require-expiry",
    resource: "kv-secret-vpn",
    change: "no expiry",
    mutate: (i) => {
      delete i.properties.attributes;
    },
    expected: ["properties.attributes.expires is not set; set an expiry date"],
  },
  {
    policy: "operationalinsights-workspace-require-retention",
    resource: "law-central",
    change: "30 days",
    mutate: (i) => {
      i.retentionInDays = 30;
    },
    expected: ["retentionInDays is 30; set it to at least 183"],
  },
  {
    policy: "operationalinsights-workspace-disallow-local-auth",
    resource: "law-central",
    change: "local auth",
    mutate: (i) => {
      i.features.disableLocalAuth = false;
    },
    expected: ["features.disableLocalAuth is false; set it to true"],
  },
];

describe("policies on the compliant baseline", () => {
  it("the baseline has no findings at all", () => {
    expect(findingsAfter("rg-hub", () => undefined)).toEqual([]);
  });
});

describe.each(cases)("$policy: $change", ({ policy, resource, mutate, expected, also = [] }) => {
  it("reports exactly the expected violation", () => {
    const level = policies.find((p) => p.name === policy)?.enforcementLevel;
    expect(level).toBeDefined();
    const findings = findingsAfter(resource, mutate);
    if (policy === "compute-virtualmachine-require-allowed-size") {
      expect(findings).toEqual([
        `fail ${policy}: hardwareProfile.vmSize is "Standard_M128s", not on the allow-list; use one of ` +
          `${policies.length > 0 ? "Standard_B2s" : ""}, Standard_B2ms, Standard_B4ms, Standard_D2s_v5, ` +
          `Standard_D4s_v5, Standard_D8s_v5, Standard_D16s_v5, Standard_D2as_v5, Standard_D4as_v5, ` +
          `Standard_E2s_v5, Standard_E4s_v5, Standard_E8s_v5, Standard_E16s_v5, Standard_F4s_v2, ` +
          `Standard_F8s_v2`,
      ]);
      return;
    }
    expect(findings).toEqual([...expected.map((m) => `fail ${policy}: ${m}`), ...also.map((m) => `fail ${m}`)]);
  });
  it("gives no verdict when the property is unknown during preview", () => {
    // Replace every value the mutation touched with Pulumi's unknown sentinel: no pass, no fail.
    const findings = findingsAfter(resource, (inputs) => {
      const before = JSON.stringify(inputs);
      const probe = structuredClone(inputs);
      mutate(probe);
      for (const key of new Set([...Object.keys(inputs), ...Object.keys(probe)])) {
        if (JSON.stringify(inputs[key]) !== JSON.stringify(probe[key])) inputs[key] = unknownValue;
      }
      if (JSON.stringify(inputs) === before) throw new Error("mutation touched nothing");
    });
    expect(findings.filter((f) => f.startsWith("fail") && f.includes(policy))).toEqual([]);
    expect(findings.some((f) => f.startsWith(`unknown ${policy}:`))).toBe(true);
  });
});

describe("the provider's default location", () => {
  it("is checked when a resource sets no location (CrossGuard passes the provider to the policy)", () => {
    const specs = structuredClone(compliantSpecs(1));
    delete specs.find((s) => s.name === "kv-muniops")!.inputs.location;
    const digest = previewOf(specs);
    const provider = digest.steps!.find((s) => s.newState?.type === "pulumi:providers:azure-native")!.newState!;
    provider.inputs = { ...provider.inputs, location: "eastus" };
    const findings = audit(documentOf(digest))
      .findings.filter((f) => f.policyId === "azure-resource-require-eu-location")
      .map((f) => `${f.name ?? ""}: ${f.message}`);
    expect(findings).toEqual([
      'kv-muniops: location is "eastus" (provider default); use one of westeurope, northeurope, global',
    ]);
  });
});
