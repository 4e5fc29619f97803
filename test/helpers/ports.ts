// A free loopback TCP port for a peer a test starts (Prometheus, sshd, an OIDC provider, the demo): the
// same function the demo uses for its Prometheus.
export { freeLoopbackPort as freePort } from "../../dashboard/demo/loopbackPort.js";
