import { resourcePolicy } from "../policy.js";
import { arrayAt, at } from "../lib/props.js";

export default resourcePolicy({
  name: "network-virtualnetworkgateway-require-entra-p2s",
  displayName: "Point-to-site VPN users authenticate with Entra ID only",
  description: "Remote administrators connect with Entra ID (and its MFA), not certificates or RADIUS.",
  severity: "high",
  enforcementLevel: "advisory",
  bioControls: ["U.07.3", "U.10.2", "U.10.3", "U.10.5"],
  bio2Measures: ["5.17.01", "5.15.01"],
  bio2Partial: ["5.17.01", "5.15.01"],
  isoControls: ["5.17", "8.5", "6.7", "5.15"],
  remediationSteps:
    'Set `vpnClientConfiguration.vpnAuthenticationTypes: ["AAD"]` with the tenant, audience and issuer.',
  resourceTypes: ["azure-native:network:VirtualNetworkGateway"],
  validateResource(args, reportViolation) {
    const config = at(args.props, "vpnClientConfiguration");
    if (arrayAt(config, "vpnClientAddressPool", "addressPrefixes").length === 0) return;
    const types = arrayAt(config, "vpnAuthenticationTypes").map(String);
    const other = types.filter((t) => t !== "AAD");
    if (types.length === 0 || other.length > 0) {
      reportViolation(
        `point-to-site authentication is ${types.length === 0 ? "not set" : types.join(", ")}; use only "AAD"`,
      );
    }
  },
});
