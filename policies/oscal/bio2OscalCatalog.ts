// The BIO2 catalog as an OSCAL 1.0 catalog: ISO/IEC 27002:2022 clauses → ISO controls (id and short title)
// → BIO2 entries, with ids, statuses and our own topics only (no measure or ISO text: CC BY-SA and NEN
// copyright), attributed as the licence asks. Withdrawn entries carry OSCAL's `status: withdrawn`.
import type { Bio2Catalog, Bio2Entry } from "../bio2Catalog.js";
import { muniopsNs, oscalControlId, oscalVersion, stableUuid } from "./oscalIds.js";

/** ISO/IEC 27002:2022's four themes (clause titles), the top level of the catalog. */
const isoClauses: Record<string, string> = {
  "5": "Organizational controls",
  "6": "People controls",
  "7": "Physical controls",
  "8": "Technological controls",
};

interface Prop {
  name: string;
  value: string;
  ns?: string;
  class?: string;
}

function entryProps(entry: Bio2Entry): Prop[] {
  const props: Prop[] = [{ name: "label", value: entry.id }];
  if (entry.status === "vervallen" || entry.status === "moved") props.push({ name: "status", value: "withdrawn" });
  props.push({ name: "bio2-status", value: entry.status, ns: muniopsNs });
  for (const category of entry.categoriesV12) props.push({ name: "category-v1.2", value: category, ns: muniopsNs });
  if (entry.cbwScope === "outside") props.push({ name: "cbw-scope", value: "outside", ns: muniopsNs });
  return props;
}

function control(entry: Bio2Entry): Record<string, unknown> {
  const rel = entry.status === "moved" ? "moved-to" : "related";
  const links = entry.target === undefined ? [] : [{ href: `#${oscalControlId("bio2", entry.target)}`, rel }];
  return {
    id: oscalControlId("bio2", entry.id),
    title: entry.topic ?? entry.isoTitle,
    props: entryProps(entry),
    ...(links.length > 0 ? { links } : {}),
  };
}

export function bio2OscalCatalog(catalog: Bio2Catalog): { catalog: Record<string, unknown> } {
  const clauses = new Map<string, Map<string, Bio2Entry[]>>();
  for (const entry of catalog.entries) {
    const clause = entry.isoControl.split(".")[0] ?? "";
    const controls = clauses.get(clause) ?? new Map<string, Bio2Entry[]>();
    controls.set(entry.isoControl, [...(controls.get(entry.isoControl) ?? []), entry]);
    clauses.set(clause, controls);
  }
  const groups = [...clauses].map(([clause, controls]) => ({
    id: `iso-${clause}`,
    title: isoClauses[clause] ?? `Clause ${clause}`,
    props: [{ name: "label", value: clause }],
    groups: [...controls].map(([iso, entries]) => ({
      id: `iso-${iso}`,
      title: entries[0]?.isoTitle ?? iso,
      props: [{ name: "label", value: `ISO/IEC 27002:2022 ${iso}` }],
      controls: entries.map(control),
    })),
  }));
  const state = stableUuid("muniops", "party", "Staat der Nederlanden");
  const compiler = stableUuid("muniops", "party", "muniops");
  const published = `${catalog.versionDate}T00:00:00Z`;
  const sourceText = `${catalog.source.path} at ${catalog.source.commit}`;
  return {
    catalog: {
      uuid: stableUuid("muniops", "bio2-catalog", catalog.version, catalog.source.commit),
      metadata: {
        title: `${catalog.title} ${catalog.version}: measure ids and ISO/IEC 27002:2022 control titles`,
        published,
        "last-modified": published,
        version: catalog.version,
        "oscal-version": oscalVersion,
        props: [
          { name: "license", value: catalog.license, ns: muniopsNs },
          { name: "categories-version", value: catalog.categoriesVersion, ns: muniopsNs },
        ],
        links: [
          { href: catalog.licenseUrl, rel: "license", text: catalog.license },
          { href: catalog.source.repository, rel: "source", text: sourceText },
          { href: catalog.source.formalText, rel: "reference", text: "the formal BIO2 text" },
        ],
        roles: [
          { id: "creator", title: "Creator of the baseline" },
          { id: "prepared-by", title: "Compiled this machine-readable catalog" },
        ],
        parties: [
          { uuid: state, type: "organization", name: "Staat der Nederlanden" },
          { uuid: compiler, type: "organization", name: "muniops project" },
        ],
        "responsible-parties": [
          { "role-id": "creator", "party-uuids": [state] },
          { "role-id": "prepared-by", "party-uuids": [compiler] },
        ],
        remarks: [`Attribution: ${catalog.attribution} (${catalog.license}).`, catalog.changes, catalog.isoNotice].join(
          "\n\n",
        ),
      },
      groups,
    },
  };
}
