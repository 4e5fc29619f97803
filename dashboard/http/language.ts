// The languages the dashboard speaks. Request plumbing reads the language cookie and both the pages and
// the login flows render in it, so the list lives here, beneath both; the texts stay in web/i18n.ts.
export const langs = ["nl", "en"] as const;
export type Lang = (typeof langs)[number];

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (langs as readonly string[]).includes(value);
}
