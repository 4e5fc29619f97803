// The BIO (Baseline Informatiebeveiliging Overheid) Cloud-theme controls this pack maps to, the BIO
// 1.04-era second key beside BIO2 (bio2Catalog.ts), with their texts as given in "BIO Thema-uitwerking
// Clouddiensten" v2.2 and Azure Policy's "NL BIO Cloud Theme" initiative groups (abbreviated). Source:
// shared/reference/bio-checks.md, with U.10.5, U.04.2, U.04.3 and B.09.3 corrected against the Cloud theme
// v2.2 (shared/reference/bio2.md §6). A policy may only cite a control listed here (a test checks it), so
// the Cloud-theme coverage matrix speaks the auditors' language.

export interface BioControl {
  id: string;
  text: string;
}

export const bioControls: readonly BioControl[] = [
  {
    id: "B.01.3",
    text:
      "Requirements from laws and regulations identified, in particular geographically distributed processing " +
      "and storage.",
  },
  { id: "B.09.1", text: "Availability, integrity and confidentiality measures for storage, processing and transport." },
  { id: "B.09.3", text: "Information and assets are classified and labelled (ownership is B.09.6)." },
  { id: "U.03.1", text: "Redundancy of the cloud service." },
  { id: "U.03.2", text: "Continuity requirements of the cloud service are met." },
  { id: "U.04.1", text: "Data can be restored within the agreed period." },
  { id: "U.04.2", text: "The backup process is monitored." },
  { id: "U.04.3", text: "Restore functions are tested periodically." },
  { id: "U.05.1", text: "Data transport is secured with state-of-the-art cryptography (Forum Standaardisatie)." },
  { id: "U.05.2", text: "Stored data is encrypted; key management by the customer where possible." },
  { id: "U.07.1", text: "Permanent isolation of data." },
  { id: "U.07.3", text: "Isolation is ensured under all operating conditions (management features)." },
  { id: "U.09.3", text: "Malware detection, prevention and recovery." },
  { id: "U.10.2", text: "Administrative access by least privilege, need-to-know and multi-factor authentication." },
  { id: "U.10.3", text: "Only authenticated equipment has access." },
  { id: "U.10.5", text: "Access is limited by technical measures (roles and rights; formal procedures are U.10.4)." },
  { id: "U.11.1", text: "Cryptography policy." },
  { id: "U.11.2", text: "Key management (PKIoverheid / ISO 11770)." },
  { id: "U.11.3", text: "Sensitive data is always encrypted, private keys managed by the customer." },
  { id: "U.12.1", text: "Measures at connection points with untrusted zones (e.g. DDoS)." },
  { id: "U.12.2", text: "Network connections between trusted and untrusted zones are limited and monitored." },
  { id: "U.15.1", text: "Violations of policy rules are logged." },
  { id: "U.15.3", text: "A list of assets critical for logging and monitoring is kept." },
  { id: "U.17.1", text: "Customer data is encrypted in transport and at rest." },
];

export const bioControlIds: ReadonlySet<string> = new Set(bioControls.map((c) => c.id));

/** The BIO version the controls come from, as Pulumi's `framework` metadata carries it. */
export const bioFramework = { name: "BIO", version: "1.04" } as const;
