// The dossier's sections from the registers: the waivers granted and expired in the year, the asset
// inventory (BIO2 5.09.01) and the statement of applicability (VvT) on the peildatum.
import { renderVvtCsv, renderVvtJson, renderVvtMarkdown } from "../../../policies/vvt/renderVvt.js";
import { writeCsv } from "../../domain/csvWriter.js";
import { waiverEventsOf } from "../../domain/evidenceDossier.js";
import { vvtOnPeildatum } from "./auditSections.js";
import type { EvidenceContext, EvidenceSection } from "./evidenceSections.js";

/** The waivers the year saw: the file's, and those the year's audit reports applied (since removed ones too). */
function waiversOfYear(context: EvidenceContext) {
  const facts = new Map<string, Parameters<typeof waiverEventsOf>[0][number]>();
  for (const { report } of context.runs)
    for (const w of report.waivers)
      facts.set(w.id, {
        id: w.id,
        policies: w.policies,
        approvedOn: null,
        expiresOn: w.expiresOn ?? null,
        riskAnalysis: null,
        riskOwner: null,
      });
  for (const s of context.waivers.statuses) {
    const w = s.waiver;
    facts.set(s.id, {
      id: s.id,
      policies: w?.policies ?? facts.get(s.id)?.policies ?? [],
      approvedOn: w?.approvedOn ?? null,
      expiresOn: w?.expiresOn ?? facts.get(s.id)?.expiresOn ?? null,
      riskAnalysis: w?.riskAnalysis ?? null,
      riskOwner: w?.riskOwner ?? null,
    });
  }
  return [...facts.values()];
}

export const waiversSection: EvidenceSection = {
  id: "werking/waivers",
  title: "Werking: uitzonderingen (waivers) verleend en verlopen in het jaar",
  files(context) {
    const events = waiverEventsOf(waiversOfYear(context), context.year);
    const header = ["gebeurtenis", "datum", "waiver", "controles", "risicoanalyse", "risico_eigenaar"];
    const rows = events.map((e) => [
      e.event === "granted" ? "verleend" : "verlopen",
      e.on,
      e.id,
      e.policies.join(" "),
      e.riskAnalysis ?? "",
      e.riskOwner ?? "",
    ]);
    return [{ path: "werking/waivers.csv", content: writeCsv(header, rows) }];
  },
};

export const inventorySection: EvidenceSection = {
  id: "inventaris",
  title: "Inventaris van bedrijfsmiddelen (BIO2 5.09.01) uit de stack",
  files(context) {
    const inventory = context.inventory;
    if (!inventory)
      return [{ path: "inventaris/GEEN-INVENTARIS.md", content: "Geen inventaris meegegeven (--inventory).\n" }];
    const header = ["soort", "naam", "afdeling", "dienst", "omgeving", "os", "grootte", "vcpus", "geheugen_gib"];
    const hosts = inventory.hosts.map((h) => [
      "server",
      h.name,
      h.department,
      h.service,
      h.environment,
      h.os,
      h.vmSize,
      h.vcpus,
      h.memoryGiB,
    ]);
    const shares = inventory.shares.map((s) => ["share", s.name, s.department, "", "", "", s.tier, null, null]);
    return [
      { path: "inventaris/assets.csv", content: writeCsv(header, [...hosts, ...shares]) },
      { path: "inventaris/inventory.json", content: JSON.stringify(inventory, null, 2) + "\n" },
    ];
  },
};

export const vvtSection: EvidenceSection = {
  id: "vvt",
  title: "Verklaring van Toepasselijkheid op de peildatum, met de bijlage uitzonderingen",
  files(context) {
    const vvt = vvtOnPeildatum(context);
    return [
      { path: "vvt/vvt.md", content: renderVvtMarkdown(vvt) },
      { path: "vvt/vvt.csv", content: renderVvtCsv(vvt) },
      { path: "vvt/vvt.json", content: renderVvtJson(vvt) },
    ];
  },
};
