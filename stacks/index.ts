// The Pulumi program (`Pulumi.yaml` has `main: stacks/`): read and validate the stack config, compose
// the landing zone, export its outputs. Everything else lives in config.ts, program.ts and components/.
import * as pulumi from "@pulumi/pulumi";
import { readPulumiConfig } from "./pulumiConfig.js";
import { buildLandingZone } from "./program.js";

const landingZone = buildLandingZone(readPulumiConfig(pulumi.getStack()));

export const inventory = landingZone.inventory;
export const hubVnetId = landingZone.hubVnetId;
export const spokeVnetIds = landingZone.spokeVnetIds;
export const firewallPrivateIp = landingZone.firewallPrivateIp;
export const digitalCounterPublicIpId = landingZone.digitalCounterPublicIpId;
export const workspaceId = landingZone.workspaceId;
export const keyVaultId = landingZone.keyVaultId;
