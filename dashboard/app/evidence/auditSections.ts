// The dossier's sections from the audit history: per BIO2 measure its opzet, bestaan and werking; the
// audit that shows bestaan on the peildatum; every audit run of the year; the drift between runs.
import { policies } from "../../../policies/catalog.js";
import { buildVvt, type Vvt } from "../../../policies/vvt/statement.js";
import { writeCsv } from "../../domain/csvWriter.js";
import { coverageMatrix } from "../../domain/compliance.js";
import { driftBetweenRuns, type DossierFile, type RunMeasures } from "../../domain/evidenceDossier.js";
import type { EvidenceContext, EvidenceSection, StoredRun } from "./evidenceSections.js";

const json = (value: unknown): string => JSON.stringify(value, null, 2) + "\n";

function statesOf(run: StoredRun): Map<string, string> {
  return new Map(coverageMatrix(run.report, "bio2").map((c) => [c.control, c.state]));
}

function runMeasures(run: StoredRun): RunMeasures {
  const { id, generatedAt, documentSha256 } = run.summary;
  return { id, generatedAt, documentSha256, states: statesOf(run) };
}

/** The VvT as on the peildatum: the results of the bestaan audit, the waivers of that day. */
export function vvtOnPeildatum(context: EvidenceContext): Vvt {
  const bestaan = context.bestaan;
  const tallies = bestaan ? new Map(bestaan.report.policies.map((p) => [p.policyId, p])) : undefined;
  const audited = bestaan
    ? {
        document: `audit ${bestaan.summary.id} (${bestaan.summary.documentSha256 ?? "no document hash"})`,
        stack: context.stack,
      }
    : null;
  return buildVvt({
    policies,
    tallies,
    waivers: context.waivers,
    applicability: context.applicability,
    audited,
    now: new Date(`${context.peildatum}T23:59:59Z`),
  });
}

const measureHeader = [
  "maatregel",
  "iso",
  "toepasselijk",
  "opzet_controles",
  "opzet_verantwoordelijk",
  "bestaan_audit",
  "bestaan_datum",
  "bestaan_status",
  "werking_audits",
  "werking_voldoet",
  "werking_voldoet_niet",
  "werking_vrijgesteld",
  "werking_wijzigingen",
] as const;

function measureRows(context: EvidenceContext): (string | number)[][] {
  const vvt = vvtOnPeildatum(context);
  const bestaan = context.bestaan ? statesOf(context.bestaan) : new Map<string, string>();
  const perRun = context.runs.map(statesOf);
  return vvt.rows.map((row) => {
    const states = perRun.map((s) => s.get(row.id) ?? "absent");
    const count = (state: string) => states.filter((s) => s === state).length;
    const changes = states.filter((s, i) => i > 0 && s !== states[i - 1]).length;
    return [
      row.id,
      row.isoControl,
      row.applicable ? "ja" : `nee: ${row.reason}`,
      row.evidence.map((e) => e.policyId).join(" ") || "geen controle: procedure of organisatorisch",
      row.answeredBy ?? "",
      context.bestaan ? context.bestaan.summary.id : "",
      context.bestaan ? context.bestaan.summary.generatedAt : "",
      bestaan.get(row.id) ?? "geen audit",
      states.length,
      count("pass"),
      count("fail"),
      count("waived"),
      changes,
    ];
  });
}

function measuresMarkdown(context: EvidenceContext, rows: (string | number)[][]): string {
  const head = [
    `# BIO2-maatregelen ${context.year}: opzet, bestaan en werking`,
    "",
    `Stack ${context.stack}, peildatum ${context.peildatum}. Opzet: de controles (policies) of de procedure en wie`,
    "ervoor verantwoordelijk is; bestaan: de laatste audit vóór het einde van de peildatum; werking: alle audits",
    `van ${context.year} uit de audithistorie (aantallen per uitkomst, en hoe vaak de uitkomst wisselde).`,
    "",
    "| Maatregel | ISO | Opzet | Bestaan | Werking (audits / voldoet / niet / vrijgesteld / wijzigingen) |",
    "|---|---|---|---|---|",
  ];
  const cell = (v: string | number | undefined) => String(v ?? "").replace(/\|/g, "\\|");
  const lines = rows.map(
    (r) =>
      `| ${cell(r[0])} | ${cell(r[1])} | ${cell(r[3])} | ${cell(r[7])} | ` +
      `${[8, 9, 10, 11, 12].map((i) => cell(r[i])).join(" / ")} |`,
  );
  return [...head, ...lines, ""].join("\n");
}

export const measuresSection: EvidenceSection = {
  id: "maatregelen",
  title: "Per BIO2-maatregel: opzet, bestaan en werking",
  files(context) {
    const rows = measureRows(context);
    return [
      { path: "maatregelen.csv", content: writeCsv(measureHeader, rows) },
      { path: "maatregelen.md", content: measuresMarkdown(context, rows) },
    ];
  },
};

export const bestaanSection: EvidenceSection = {
  id: "bestaan",
  title: "Bestaan: de laatste audit vóór de peildatum, zoals opgeslagen",
  files(context) {
    if (!context.bestaan) return [{ path: "bestaan/GEEN-AUDIT.md", content: "Geen audit vóór de peildatum.\n" }];
    return [{ path: `bestaan/audit-${context.bestaan.summary.id}.json`, content: json(context.bestaan.report) }];
  },
};

const runHeader = [
  "audit",
  "stack",
  "gegenereerd",
  "ontvangen",
  "bron",
  "door",
  "document_sha256",
  "baseline",
  "geslaagd",
  "resources",
  "verplicht_niet",
  "advies_niet",
  "vrijgesteld",
  "waivers_toegepast",
] as const;

export const auditRunsSection: EvidenceSection = {
  id: "werking/audits",
  title: "Werking: elke audit van het jaar (rapport, documenthash, toegepaste waivers)",
  files(context) {
    const rows = context.runs.map(({ summary: s, report }) => [
      s.id,
      s.stack,
      s.generatedAt,
      s.receivedAt,
      s.source,
      s.receivedFrom,
      s.documentSha256 ?? "",
      s.baseline ?? "",
      s.passed ? "ja" : "nee",
      s.resources,
      s.mandatoryFailures,
      s.advisoryFailures,
      s.waived,
      report.waivers
        .filter((w) => w.matched > 0)
        .map((w) => `${w.id}(${w.matched})`)
        .join(" "),
    ]);
    const reports: DossierFile[] = context.runs.map((r) => ({
      path: `werking/audits/audit-${r.summary.id}.json`,
      content: json(r.report),
    }));
    return [{ path: "werking/audits.csv", content: writeCsv(runHeader, rows) }, ...reports];
  },
};

export const driftSection: EvidenceSection = {
  id: "werking/drift",
  title: "Werking: wijzigingen per maatregel tussen opeenvolgende audits",
  files(context) {
    const drift = driftBetweenRuns(context.runs.map(runMeasures));
    const header = ["van_audit", "naar_audit", "tijdstip", "maatregel", "was", "werd", "document_gewijzigd"];
    const rows = drift.map((d) => [
      d.fromAudit,
      d.toAudit,
      d.at,
      d.measure,
      d.from,
      d.to,
      d.documentChanged === null ? "onbekend" : d.documentChanged ? "ja" : "nee",
    ]);
    return [{ path: "werking/drift.csv", content: writeCsv(header, rows) }];
  },
};
