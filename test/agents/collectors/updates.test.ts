// The updates collector. apt on this machine's real apt: the test builds two local repositories (one
// labelled as Debian's security archive) with dpkg-deb and dpkg-scanpackages (dpkg-dev, which
// scripts/test-peers.sh installs), and a dpkg status file saying older versions are installed, and points
// apt at them only through an apt.conf given with -c, so the machine's own apt state is never touched.
// dnf and Windows Update on outputs in their documented shapes (test/fixtures/agent/updates/README.md).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUpdatesCollector } from "../../../agents/collectors/updates.js";
import { parseAptSimulation, parseDpkgHolds } from "../../../agents/updates/apt.js";
import {
  nameOfNevra,
  parseCheckUpdate,
  parseUpdateinfoList,
  parseVersionlockList,
} from "../../../agents/updates/dnf.js";
import { parseWindowsUpdateJson } from "../../../agents/updates/windowsUpdate.js";
import { advancePatchState, emptyPatchState, oldestSecurityAge } from "../../../agents/updates/patchState.js";
import { defaultEnvironment } from "../../../agents/agent.js";
import type { MetricFamily } from "../../../agents/exposition.js";
import { repoRoot } from "../../helpers/cli.js";

const fixtures = join(repoRoot, "test", "fixtures", "agent", "updates");
const day = 86_400;

function value(families: MetricFamily[], name: string, labels: Record<string, string> = {}): number | undefined {
  const family = families.find((f) => f.name === name);
  return family?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v))?.value;
}

/** A .deb with nothing in it but its control file. */
function buildDeb(dir: string, name: string, version: string, depends?: string): string {
  const root = join(dir, "build", `${name}-${version}`);
  mkdirSync(join(root, "DEBIAN"), { recursive: true });
  const control =
    `Package: ${name}\nVersion: ${version}\nArchitecture: all\nMaintainer: muniops tests ` +
    `<t@example.org>\nDescription: test package\n` +
    (depends ? `Depends: ${depends}\n` : "");
  writeFileSync(join(root, "DEBIAN", "control"), control);
  const deb = join(dir, "build", `${name}_${version}_all.deb`);
  execFileSync("dpkg-deb", ["--build", "-Zgzip", root, deb], { stdio: "ignore" });
  return deb;
}

/** A flat repository (`deb file:/… ./`) whose Release file carries the given label and suite. */
function buildRepository(dir: string, debs: string[], release: { label: string; suite: string }): string {
  const repo = join(dir, release.suite);
  mkdirSync(repo, { recursive: true });
  for (const deb of debs) writeFileSync(join(repo, deb.split("/").pop()!), readFileSync(deb));
  writeFileSync(
    join(repo, "Packages"),
    execFileSync("dpkg-scanpackages", ["-m", "."], { cwd: repo, stdio: ["ignore", "pipe", "ignore"] }),
  );
  const fields = `Origin: Debian\nLabel: ${release.label}\nSuite: ${release.suite}\nCodename: ${release.suite}\n`;
  writeFileSync(join(repo, "Release"), fields + "Date: Sat, 05 Dec 2026 00:00:00 UTC\n");
  return repo;
}

const installed = (name: string, version: string, selection = "install"): string =>
  `Package: ${name}\nStatus: ${selection} ok installed\nVersion: ${version}\nArchitecture: all\nMaintainer: ` +
  `t\nDescription: test\n\n`;

describe("updates on real apt with a local repository", () => {
  const dir = mkdtempSync(join(tmpdir(), "muniops-apt-"));
  const rootfs = join(dir, "rootfs");
  const stateDir = join(dir, "state");
  const aptConfig = join(dir, "apt.conf");
  const status = join(dir, "status");
  const t0 = 1_764_000_000;

  beforeAll(() => {
    const security = buildRepository(dir, [buildDeb(dir, "muniops-tiny", "2.0")], {
      label: "Debian-Security",
      suite: "stable-security",
    });
    const regular = buildRepository(
      dir,
      [
        ...[buildDeb(dir, "muniops-other", "2.0"), buildDeb(dir, "muniops-pinned", "2.0")],
        // A metapackage whose new version pulls in a new package, as linux-image-amd64 does a new kernel ABI.
        ...[buildDeb(dir, "muniops-meta", "2.0", "muniops-abi2"), buildDeb(dir, "muniops-abi2", "1.0")],
      ],
      {
        label: "Debian",
        suite: "stable",
      },
    );
    mkdirSync(join(dir, "etc", "sources.list.d"), { recursive: true });
    mkdirSync(join(dir, "etc", "preferences.d"), { recursive: true });
    writeFileSync(
      join(dir, "etc", "sources.list"),
      `deb [trusted=yes] file:${security} ./\ndeb [trusted=yes] file:${regular} ./\n`,
    );
    writeFileSync(
      status,
      installed("muniops-tiny", "1.0") +
        installed("muniops-other", "1.0") +
        installed("muniops-pinned", "1.0", "hold") +
        installed("muniops-meta", "1.0"),
    );
    const settings = {
      "Dir::Etc::sourcelist": join(dir, "etc", "sources.list"),
      "Dir::Etc::sourceparts": join(dir, "etc", "sources.list.d"),
      "Dir::Etc::preferences": join(dir, "etc", "preferences"),
      "Dir::Etc::preferencesparts": join(dir, "etc", "preferences.d"),
      "Dir::State::Lists": join(dir, "lists"),
      "Dir::State::status": status,
      "Dir::Cache": join(dir, "cache"),
      "Debug::NoLocking": "1",
      // As root apt drops to _apt for downloads, which cannot read a private temporary directory.
      ...(process.getuid?.() === 0 ? { "APT::Sandbox::User": "root" } : {}),
    };
    writeFileSync(
      aptConfig,
      Object.entries(settings)
        .map(([key, v]) => `${key} "${v}";\n`)
        .join(""),
    );
    mkdirSync(join(dir, "lists", "partial"), { recursive: true });
    mkdirSync(join(dir, "cache", "archives", "partial"), { recursive: true });
    // The test refreshes its own temporary lists; the collector never runs `apt-get update`.
    execFileSync("apt-get", ["-c", aptConfig, "-q", "update"], { stdio: "ignore" });
    mkdirSync(join(rootfs, "var", "run"), { recursive: true });
  }, 60_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const collector = (now: number): ReturnType<typeof createUpdatesCollector> =>
    createUpdatesCollector(
      { interval: 3600, stateDir, aptConfig },
      { ...defaultEnvironment(), rootfs, platform: "linux", now: () => now },
      false,
    );

  it("finds one security update, one other and one held, and starts the security clock", async () => {
    writeFileSync(join(rootfs, "var", "run", "reboot-required"), "*** System restart required ***\n");
    utimesSync(join(rootfs, "var", "run", "reboot-required"), t0 - 2 * day, t0 - 2 * day);
    const updates = collector(t0);
    expect(await updates.update()).toEqual([]); // nothing before the first check
    await updates.refresh();
    const families = await updates.update();
    expect(value(families, "muniops_updates_check_success")).toBe(1);
    expect(value(families, "muniops_updates_pending", { kind: "security", backend: "apt" })).toBe(1);
    // muniops-other and muniops-meta; the new muniops-abi2 it pulls in is part of that upgrade, not one more.
    expect(value(families, "muniops_updates_pending", { kind: "other" })).toBe(2);
    expect(value(families, "muniops_updates_held")).toBe(1);
    expect(value(families, "muniops_updates_security_oldest_age_seconds")).toBe(0);
    expect(value(families, "muniops_updates_last_success_timestamp_seconds")).toBe(t0);
    expect(value(families, "muniops_reboot_required")).toBe(1);
    expect(value(families, "muniops_reboot_required_age_seconds")).toBe(2 * day);
    expect(value(families, "muniops_updates_check_duration_seconds")).toBeGreaterThan(0);
    await updates.close?.();
    expect(JSON.parse(readFileSync(join(stateDir, "updates-state.json"), "utf8"))).toMatchObject({
      securityFirstSeen: { "muniops-tiny": t0 },
    });
  });

  it("keeps the first-seen time across a restart: eight days later the rule is breached", async () => {
    const updates = collector(t0 + 8 * day);
    // Before the restarted agent's first check, the last success is already known from the state file.
    expect(value(await updates.update(), "muniops_updates_last_success_timestamp_seconds")).toBe(t0);
    await updates.refresh();
    const families = await updates.update();
    expect(value(families, "muniops_updates_security_oldest_age_seconds")).toBe(8 * day);
    expect(value(families, "muniops_updates_last_success_timestamp_seconds")).toBe(t0 + 8 * day);
  });

  it("forgets an update once it is installed, and reports a failed check without losing the last success", async () => {
    writeFileSync(
      status,
      installed("muniops-tiny", "2.0") +
        installed("muniops-other", "1.0") +
        installed("muniops-pinned", "1.0", "hold") +
        installed("muniops-meta", "1.0"),
    );
    rmSync(join(rootfs, "var", "run", "reboot-required"));
    const updates = collector(t0 + 9 * day);
    await updates.refresh();
    let families = await updates.update();
    expect(value(families, "muniops_updates_pending", { kind: "security" })).toBe(0);
    expect(value(families, "muniops_updates_security_oldest_age_seconds")).toBe(0);
    expect(value(families, "muniops_reboot_required")).toBe(0);
    expect(JSON.parse(readFileSync(join(stateDir, "updates-state.json"), "utf8"))).toMatchObject({
      securityFirstSeen: {},
    });

    const broken = createUpdatesCollector(
      { interval: 3600, stateDir, aptConfig: join(dir, "missing.conf") },
      { ...defaultEnvironment(), rootfs, platform: "linux", now: () => t0 + 10 * day },
      false,
    );
    await broken.refresh();
    families = await broken.update();
    expect(value(families, "muniops_updates_check_success")).toBe(0);
    expect(value(families, "muniops_updates_last_success_timestamp_seconds")).toBe(t0 + 9 * day);
    expect(value(families, "muniops_updates_pending", { kind: "security" })).toBeUndefined();
  });

  it("parses the simulation apt printed, naming the security archive", () => {
    const text = execFileSync("apt-get", ["-c", aptConfig, "-s", "-q", "dist-upgrade"], {
      encoding: "utf8",
      env: { ...process.env, LANG: "C" },
    });
    const upgrades = parseAptSimulation(text);
    expect(upgrades).toContainEqual({
      name: "muniops-other",
      from: "1.0",
      to: "2.0",
      releases: ["Debian:stable"],
      security: false,
    });
    expect(upgrades).toContainEqual({
      name: "muniops-abi2",
      from: undefined,
      to: "1.0",
      releases: ["Debian:stable"],
      security: false,
    });
    expect(upgrades.map((u) => u.name).sort()).toEqual(["muniops-abi2", "muniops-meta", "muniops-other"]);
    expect(parseDpkgHolds(readFileSync(status, "utf8"))).toEqual(["muniops-pinned"]);
  });
});

describe("apt simulation lines from Debian and Ubuntu", () => {
  it("reads this machine's own apt-get -s dist-upgrade, recorded (Debian 12 with bookworm-security)", () => {
    // Recorded with LANG=C apt-get -s -q -o Debug::NoLocking=1 dist-upgrade on the test machine. The counts
    // were taken with grep: 131 `Inst` lines, 81 of them offered by a security archive. Some lines end in
    // ` []` (apt's list of packages the upgrade breaks), which must not hide the release list.
    const upgrades = parseAptSimulation(readFileSync(join(fixtures, "apt-get-s-dist-upgrade.debian12.txt"), "utf8"));
    expect(upgrades).toHaveLength(131);
    expect(upgrades.filter((u) => u.security)).toHaveLength(81);
    expect(upgrades.find((u) => u.name === "libgcrypt20-dev")).toEqual({
      name: "libgcrypt20-dev",
      from: "1.10.1-3",
      to: "1.10.1-3+deb12u1",
      releases: ["Debian:12.15/oldstable", "Debian-Security:12/oldstable-security"],
      security: true,
    });
  });

  it("treats an upgrade offered by any security archive as a security update", () => {
    // The documented form: (candidate release, release [arch]); apt-pkg/algorithms.cc pkgSimulate::Describe.
    const text = [
      "Inst libc6 [2.36-9+deb12u3] (2.36-9+deb12u4 Debian:12.5/stable, Debian-Security:12/stable-security [amd64])",
      "Inst tzdata [2024a-0+deb12u1] (2025b-0+deb12u1 Debian:12.11/stable [all])",
      "Inst openssl [3.0.2-0ubuntu1.10] (3.0.2-0ubuntu1.12 Ubuntu:22.04/jammy-updates, " +
        "Ubuntu:22.04/jammy-security [amd64])",
      "Inst linux-image-6.1.0-21-amd64 (6.1.90-1 Debian-Security:12/stable-security [amd64])",
      "Conf libc6 (2.36-9+deb12u4 Debian:12.5/stable, Debian-Security:12/stable-security [amd64])",
    ].join("\n");
    expect(parseAptSimulation(text).map((u) => [u.name, u.security])).toEqual([
      ["libc6", true],
      ["tzdata", false],
      ["openssl", true],
      ["linux-image-6.1.0-21-amd64", true],
    ]);
    // A new package has no installed version; aptCheck counts only upgrades of installed ones.
    expect(parseAptSimulation(text).find((u) => u.name.startsWith("linux-image"))?.from).toBeUndefined();
  });
});

describe("dnf outputs", () => {
  const read = (name: string): string => readFileSync(join(fixtures, name), "utf8");
  it("takes package names from NEVRAs, with and without an epoch", () => {
    expect(nameOfNevra("openssl-libs-1:3.0.7-25.el9_3.x86_64")).toBe("openssl-libs");
    expect(nameOfNevra("curl-7.76.1-29.el9_4.x86_64")).toBe("curl");
  });
  it("counts security updates per package and the others from check-update", () => {
    const security = [...new Set(parseUpdateinfoList(read("dnf-updateinfo-list-security.txt")).map((r) => r.name))];
    expect(security).toEqual(["openssl-libs", "openssl", "curl"]);
    const pending = parseCheckUpdate(read("dnf-check-update.txt"));
    expect(pending).toEqual(["curl", "openssl", "openssl-libs", "tzdata", "vim-minimal"]);
    expect(parseVersionlockList(read("versionlock.list"))).toBe(2);
  });
});

describe("Windows Update search output", () => {
  it("splits security (by classification id, any case) from other updates and counts hidden ones as held", () => {
    const check = parseWindowsUpdateJson(readFileSync(join(fixtures, "windows-update-search.json"), "utf8"));
    expect(check).toEqual({
      backend: "windows-update",
      security: ["KB5035857", "KB5035118"],
      otherCount: 1,
      held: 1,
      rebootRequired: true,
    });
  });
  it("accepts ConvertTo-Json's single object for a one-element list, and no updates at all", () => {
    const one =
      '{"RebootRequired":false,"Updates":{"Title":"x","KBArticleIDs":"1","IsHidden":false,' +
      '"CategoryIDs":"0FA1201D-4330-4FA8-8AE9-B877473B6441"}}';
    expect(parseWindowsUpdateJson(one).security).toEqual(["KB1"]);
    expect(parseWindowsUpdateJson('{"RebootRequired":false,"Updates":null}')).toMatchObject({
      security: [],
      otherCount: 0,
      held: 0,
    });
  });
});

describe("patch state", () => {
  const check = { backend: "apt" as const, otherCount: 0, held: 0, rebootRequired: false };
  it("keeps a package's first-seen time while any security fix for it is pending", () => {
    let state = advancePatchState(emptyPatchState(), { ...check, security: ["openssl"] }, 100);
    state = advancePatchState(state, { ...check, security: ["openssl", "curl"] }, 200);
    expect(state.securityFirstSeen).toEqual({ curl: 200, openssl: 100 });
    expect(oldestSecurityAge(state, 1000)).toBe(900);
    state = advancePatchState(state, { ...check, security: ["curl"] }, 300);
    expect(oldestSecurityAge(state, 1000)).toBe(800);
  });
});
