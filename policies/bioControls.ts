// The BIO (Baseline Informatiebeveiliging Overheid) controls this pack maps to, with their texts as
// given in Azure Policy's "NL BIO Cloud Theme" initiative groups (abbreviated). Source:
// shared/reference/bio-checks.md. A policy may only cite a control listed here (a test checks it), so
// the coverage matrix in every report speaks the auditors' language.

export interface BioControl {
  id: string;
  text: string;
}

export const bioControls: readonly BioControl[] = [
  { id: "B.01.3", text: "Requirements from laws and regulations identified, in particular geographically distributed processing and storage." },
  { id: "B.09.1", text: "Availability, integrity and confidentiality measures for storage, processing and transport." },
  { id: "B.09.3", text: "Classification and ownership of information and assets (organisational mapping of tagging)." },
  { id: "U.03.1", text: "Redundancy of the cloud service." },
  { id: "U.03.2", text: "Continuity requirements of the cloud service are met." },
  { id: "U.04.1", text: "Data can be restored within the agreed period." },
  { id: "U.04.2", text: "Restore and recovery procedures are tested and protected against loss." },
  { id: "U.04.3", text: "Backups and recovery points are protected against deletion and tampering." },
  { id: "U.05.1", text: "Data transport is secured with state-of-the-art cryptography (Forum Standaardisatie)." },
  { id: "U.05.2", text: "Stored data is encrypted; key management by the customer where possible." },
  { id: "U.07.1", text: "Permanent isolation of data." },
  { id: "U.07.3", text: "Isolation is ensured under all operating conditions (management features)." },
  { id: "U.09.3", text: "Malware detection, prevention and recovery." },
  { id: "U.10.2", text: "Administrative access by least privilege, need-to-know and multi-factor authentication." },
  { id: "U.10.3", text: "Only authenticated equipment has access." },
  { id: "U.10.5", text: "Privileges are granted through formal procedures." },
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
