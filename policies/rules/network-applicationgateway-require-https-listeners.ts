import { resourcePolicy } from "../policy.js";
import { arrayAt, at, stringAt } from "../lib/props.js";

export default resourcePolicy({
  name: "network-applicationgateway-require-https-listeners",
  displayName: "Application Gateway listeners use HTTPS",
  description:
    "Citizens' data is never sent in clear text: listeners are HTTPS; an HTTP listener may only redirect to HTTPS.",
  severity: "high",
  enforcementLevel: "advisory",
  bioControls: ["U.05.1", "U.17.1"],
  bio2Measures: ["8.21.04", "5.14.01"],
  bio2Partial: ["5.14.01"],
  isoControls: ["5.14", "8.24", "8.21"],
  remediationSteps:
    "Set `protocol: Https` with an `sslCertificate` on every listener, or give an HTTP listener a " +
    "redirectConfiguration to HTTPS.",
  resourceTypes: ["azure-native:network:ApplicationGateway"],
  validateResource(args, reportViolation) {
    const redirected = new Set<string>();
    for (const rule of arrayAt(args.props, "requestRoutingRules")) {
      const listener = stringAt(rule, "httpListener", "id");
      if (listener !== undefined && at(rule, "redirectConfiguration") !== undefined) redirected.add(listener);
    }
    arrayAt(args.props, "httpListeners").forEach((listener, index) => {
      if (stringAt(listener, "protocol") === "Http") {
        const name = stringAt(listener, "name") ?? `httpListeners[${index}]`;
        if ([...redirected].some((id) => id.endsWith(`/${name}`))) return;
        reportViolation(`listener ${name} uses HTTP without a redirect; set protocol "Https" or redirect to HTTPS`);
      }
    });
  },
});
