// A moment on a page: readable in the reader's language and the municipality's time zone, exact in the
// `<time datetime>` attribute (machines, tooltips of assistive technology, copy-paste into a ticket).
import { html, type Html } from "./html.js";
import { formatDateTime, type Lang } from "./i18n.js";

export function localTime(lang: Lang, iso: string | null | undefined): Html {
  return iso ? html`<time datetime="${iso}">${formatDateTime(lang, iso)}</time>` : html`—`;
}
