// Every setting of the ledger, metering and retention, declared once (settings.ts convention). The web
// layer (issue 7) imports `databaseUrlSetting` from here rather than declaring it again.
import { defineSetting, z } from "../settings.js";

const durationPattern = /^\d+(ms|s|m|h|d)$/;

export const databaseUrlSetting = defineSetting({
  key: "databaseUrl",
  type: "string",
  schema: z
    .string()
    .refine(
      (v) => /^(postgres|postgresql):\/\//.test(v) || /^(sqlite:|file:)?[^:]*$/.test(v) || v.startsWith("sqlite:"),
      "a database URL is postgres://user@host:port/db, sqlite:PATH or a file path",
    ),
  default: "./data/muniops.db",
  flag: "--database-url",
  description: "ledger database: a postgres:// URL, or a SQLite file path (embedded default)",
  secret: true,
});

export const prometheusUrlSetting = defineSetting({
  key: "prometheusUrl",
  type: "string",
  schema: z.url({
    protocol: /^https?$/,
    error: "an http(s) URL of the Prometheus (or VictoriaMetrics, Thanos, Mimir) query API",
  }),
  flag: "--prometheus-url",
  description: "PromQL HTTP API to meter from; unset → embedded mode, scraping the inventory's agents",
});

export const inventorySetting = defineSetting({
  key: "metering.inventory",
  type: "string",
  schema: z.string().min(1),
  default: "inventory.json",
  flag: "--inventory",
  description: "inventory.json whose hosts and shares are metered",
});

export const maxCatchUpSetting = defineSetting({
  key: "metering.maxCatchUp",
  type: "duration",
  schema: z.string().regex(durationPattern, "a duration like 15d, 12h or 30m"),
  default: "31d",
  flag: "--max-catch-up",
  description: "how far back metering catches up missing hours (bounded by what the source still holds)",
});

export const scrapeTimeoutSetting = defineSetting({
  key: "metering.scrapeTimeout",
  type: "duration",
  schema: z.string().regex(durationPattern, "a duration like 5s or 500ms"),
  default: "5s",
  flag: "--scrape-timeout",
  description: "timeout of one request to an agent or the PromQL API",
});

export const hourlyRetentionSetting = defineSetting({
  key: "retention.hourlyDays",
  type: "integer",
  schema: z.number().int().min(62, "hourly usage is kept at least 62 days"),
  default: 62,
  flag: "--hourly-days",
  description: "days hourly usage rows are kept before the purge (at least 62)",
});

export const dailyRetentionSetting = defineSetting({
  key: "retention.dailyYears",
  type: "integer",
  schema: z.number().int().min(1).max(100),
  default: 7,
  flag: "--daily-years",
  description: "years daily usage rows are kept before the purge",
});

export const actorSetting = defineSetting({
  key: "ledger.actor",
  type: "string",
  schema: z.string().min(1).max(200),
  flag: "--actor",
  description: "who makes a change, for the audit log (default: the operating-system user)",
});

export const adjustmentLimitSetting = defineSetting({
  key: "ledger.adjustmentLimit",
  type: "string",
  schema: z.string().regex(/^[1-9]\d{0,11}(\.\d{1,2})?$/, "a positive amount in euros like 1000000 or 25000.50"),
  default: "1000000",
  flag: "--adjustment-limit",
  description: "the largest amount in euros one adjustment may charge or credit (a typo's extra zeros stop here)",
});

export function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "ms" | "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}
