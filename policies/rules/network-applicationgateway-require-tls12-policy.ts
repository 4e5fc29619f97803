import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

const modernPredefined = new Set(["AppGwSslPolicy20220101S", "AppGwSslPolicy20220101"]);
const modernProtocols = new Set(["TLSv1_2", "TLSv1_3"]);

export default resourcePolicy({
  name: "network-applicationgateway-require-tls12-policy",
  displayName: "The Application Gateway accepts TLS 1.2 or newer only",
  description: "The digital counter's TLS policy excludes TLS 1.0/1.1 (Forum Standaardisatie: TLS 1.2 minimum).",
  severity: "high",
  enforcementLevel: "advisory",
  bioControls: ["U.05.1"],
  bio2Measures: ["8.24.04", "5.14.01"],
  bio2Partial: ["5.14.01"],
  isoControls: ["5.14", "8.24"],
  remediationSteps:
    'Set `sslPolicy: { policyType: "Predefined", policyName: "AppGwSslPolicy20220101S" }`, or a ' +
    'Custom/CustomV2 policy with `minProtocolVersion: "TLSv1_2"`.',
  resourceTypes: ["azure-native:network:ApplicationGateway"],
  validateResource(args, reportViolation) {
    const policy = at(args.props, "sslPolicy");
    const type = at(policy, "policyType");
    const name = at(policy, "policyName");
    const minimum = at(policy, "minProtocolVersion");
    if (policy === undefined) {
      reportViolation(
        'sslPolicy is not set (the gateway default allows TLS 1.0); set policyType "Predefined" with ' +
          'policyName "AppGwSslPolicy20220101S"',
      );
    } else if (type === "Predefined") {
      if (typeof name !== "string" || !modernPredefined.has(name))
        reportViolation(`sslPolicy.policyName is ${shown(name)}; use "AppGwSslPolicy20220101S"`);
    } else if (typeof minimum !== "string" || !modernProtocols.has(minimum)) {
      reportViolation(`sslPolicy.minProtocolVersion is ${shown(minimum)}; set it to "TLSv1_2" or "TLSv1_3"`);
    }
  },
});
