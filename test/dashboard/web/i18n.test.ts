// How figures and moments read on the pages: Dutch and English conventions, the municipality's clock.
import { describe, expect, test } from "vitest";
import { formatDateTime, formatMoney, formatNumber, formatPercent } from "../../../dashboard/web/i18n.js";
import { localTime } from "../../../dashboard/web/localTime.js";

describe("page formats", () => {
  test("amounts, counts and percentages in each language", () => {
    expect(formatMoney("nl", "1234.56")).toBe("€\u00a01.234,56");
    expect(formatMoney("en", "1234.56")).toBe("€1,234.56");
    // a seat count of eleven must not read as eleven thousand ("11.000") in Dutch
    expect(formatNumber("nl", Number("11.000"))).toBe("11");
    expect(formatNumber("nl", 1276)).toBe("1.276");
    expect(formatPercent("nl", "67.53")).toBe("67,53 %");
    expect(formatPercent("en", "99.80")).toBe("99.80 %");
    expect(formatPercent("nl", "40")).toBe("40 %");
  });

  test("moments on Amsterdam time, winter and summer, exact in <time datetime>", () => {
    expect(formatDateTime("nl", "2026-11-28T20:35:09.102Z")).toBe("28-11-2026 21:35:09");
    expect(formatDateTime("en", "2026-11-28T20:35:09.102Z")).toBe("28/11/2026 21:35:09");
    expect(formatDateTime("nl", "2026-07-01T10:00:00Z")).toBe("01-07-2026 12:00:00");
    expect(localTime("nl", "2026-11-28T20:35:09.102Z").text).toBe(
      '<time datetime="2026-11-28T20:35:09.102Z">28-11-2026 21:35:09</time>',
    );
    expect(localTime("en", null).text).toBe("—");
  });
});
