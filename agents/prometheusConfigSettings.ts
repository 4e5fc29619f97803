// The settings of `muniops prometheus-config`, apart from the generator so the CLI can declare its flags
// without loading it.
import { defineSetting, z } from "../settings.js";

export const prometheusConfigSettings = {
  inventory: defineSetting({
    key: "prometheusConfig.inventory",
    type: "string",
    schema: z.string().min(1),
    flag: "--inventory",
    description: "inventory.json to read hosts and their departments from (the stack output `inventory`)",
  }),
  out: defineSetting({
    key: "prometheusConfig.out",
    type: "string",
    schema: z.string().min(1),
    flag: "--out",
    description: "directory to write prometheus.yml, targets/*.json and rules/ into",
  }),
  scrapeInterval: defineSetting({
    key: "prometheusConfig.scrapeInterval",
    type: "string",
    schema: z.string().regex(/^\d+(ms|s|m|h)$/, "a Prometheus duration such as 30s or 1m"),
    default: "30s",
    flag: "--scrape-interval",
    description: "how often Prometheus scrapes the agents",
  }),
  remoteWriteUrl: defineSetting({
    key: "prometheusConfig.remoteWriteUrl",
    type: "string",
    schema: z.string().regex(/^https?:\/\/\S+$/, "an http(s) URL such as http://victoria-metrics:8428/api/v1/write"),
    flag: "--remote-write-url",
    description:
      "also send every sample to this Prometheus remote_write endpoint (Thanos Receive, Mimir, " +
      "VictoriaMetrics), the scale path",
  }),
};
