import { stringify } from "yaml";
import { effectivePatPolicy, enterpriseBindings, enterpriseConflicts } from "../../lib/config/effective-policy";
import { parseConfigOrThrow } from "../../lib/config/load";
import { enterprisePatPolicySchema } from "../../lib/config/schema";
import { configProblems, orgEntry } from "../../test-support/config";

const enterprise = (slug: string, patPolicy: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  slug,
  patPolicy,
  ...extra,
});
const bounds = (patPolicy: Record<string, unknown>) => ({ slug: "acme", patPolicy: enterprisePatPolicySchema.parse(patPolicy) });
const file = (config: Record<string, unknown>) => stringify(config);

describe("enterprises in the config", () => {
  test("loads two enterprises and an organization outside any, each with its effective policy", () => {
    // GIVEN one enterprise that restricts fine-grained tokens, one that caps lifetimes and disables
    // approval, and an organization in neither
    const config = parseConfigOrThrow(
      file({
        enterprises: [
          enterprise("acme", { fineGrainedTokens: "restrict", classicTokens: "restrict" }),
          enterprise("globex", {
            fineGrainedTokens: "allow",
            requireApproval: false,
            maxLifetimeDays: 90,
            classicTokens: "allow",
            classicMaxLifetimeDays: 30,
          }),
        ],
        organizations: [
          orgEntry({ login: "acme-corp", enterprise: "acme" }),
          orgEntry({ login: "globex-labs", enterprise: "globex", patPolicy: { maxLifetimeDays: 30 } }),
          orgEntry({ login: "initech" }),
        ],
      }),
      "policy.yaml",
    );
    // WHEN the organizations are read
    const [acme, globex, initech] = config.organizations;
    // THEN the enterprises' settings stand where the organizations declared nothing
    expect(acme.patPolicy).toEqual({
      fineGrainedTokens: "restrict",
      requireApproval: true,
      maxLifetimeDays: 366,
      classicTokens: "restrict",
    });
    expect(globex.patPolicy).toEqual({
      fineGrainedTokens: "allow",
      requireApproval: false,
      maxLifetimeDays: 30,
      classicTokens: "allow",
      classicMaxLifetimeDays: 30,
    });
    // AND the organization outside any enterprise keeps the defaults
    expect(initech.patPolicy).toEqual({
      fineGrainedTokens: "allow",
      requireApproval: true,
      maxLifetimeDays: 366,
      classicTokens: "restrict",
    });
    expect(config.enterprises.map((e) => e.slug)).toEqual(["acme", "globex"]);
    expect(config.enterprises[0].patPolicy).toEqual({
      fineGrainedTokens: "restrict",
      requireApproval: "organizations-decide",
      classicTokens: "restrict",
      exemptAdministrators: false,
    });
  });

  test("an enterprise that lets organizations decide changes nothing of theirs", () => {
    const config = parseConfigOrThrow(
      file({ enterprises: [enterprise("acme")], organizations: [orgEntry({ enterprise: "acme", patPolicy: { classicTokens: "allow" } })] }),
      "p.yaml",
    );
    expect(config.organizations[0].patPolicy).toEqual({
      fineGrainedTokens: "allow",
      requireApproval: true,
      maxLifetimeDays: 366,
      classicTokens: "allow",
    });
  });

  test("an enterprise's stack keeps state where defaults.backend says, unless it names its own", () => {
    const config = parseConfigOrThrow(
      file({
        defaults: { backend: { type: "gcs", bucket: "state" } },
        enterprises: [enterprise("acme"), enterprise("globex", {}, { backend: { type: "local", path: "globex.tfstate" } })],
        organizations: [orgEntry()],
      }),
      "p.yaml",
    );
    expect(config.enterprises.map((e) => e.backend)).toEqual([
      { type: "gcs", bucket: "state" },
      { type: "local", path: "globex.tfstate" },
    ]);
  });

  test("fails when an organization declares what its enterprise forbids, every problem at its line", () => {
    // GIVEN an enterprise that restricts fine-grained and allows classic tokens, requires approval
    // and caps lifetimes, and an organization declaring the opposite of each
    const text = file({
      enterprises: [
        enterprise("acme", {
          fineGrainedTokens: "restrict",
          requireApproval: true,
          maxLifetimeDays: 90,
          classicTokens: "allow",
          classicMaxLifetimeDays: 30,
        }),
      ],
      organizations: [
        orgEntry({
          enterprise: "acme",
          patPolicy: {
            fineGrainedTokens: "allow",
            requireApproval: false,
            maxLifetimeDays: 366,
            classicTokens: "restrict",
            classicMaxLifetimeDays: 60,
          },
        }),
      ],
    });
    // WHEN it is loaded THEN each contradiction is reported with file, line and key
    const lines = configProblems(text);
    expect(lines).toEqual([
      expect.stringMatching(
        /^policy\.yaml:\d+:\d+ organizations\[0\]\.patPolicy\.fineGrainedTokens: is allow, but enterprise acme restricts fine-grained tokens for all of its organizations and they cannot override it; declare restrict or leave fineGrainedTokens out$/,
      ),
      expect.stringMatching(
        /organizations\[0\]\.patPolicy\.requireApproval: is false, but enterprise acme requires approval of fine-grained tokens/,
      ),
      expect.stringMatching(
        /organizations\[0\]\.patPolicy\.maxLifetimeDays: is 366 days, but enterprise acme caps the lifetime of fine-grained tokens at 90 days; declare at most 90/,
      ),
      expect.stringMatching(
        /organizations\[0\]\.patPolicy\.classicTokens: is restrict, but enterprise acme allows personal access tokens \(classic\)/,
      ),
      expect.stringMatching(
        /organizations\[0\]\.patPolicy\.classicMaxLifetimeDays: is 60 days, but enterprise acme caps the lifetime of personal access tokens \(classic\) at 30 days/,
      ),
      // declared with classic tokens restricted, the lifetime would be dropped (issue 20's check, on the effective policy)
      expect.stringMatching(
        /organizations\[0\]\.patPolicy\.classicMaxLifetimeDays: is only used when classicTokens is allow, and classicTokens is restrict/,
      ),
    ]);
  });

  test("fails at defaults when the forbidden declaration comes from there", () => {
    const text = file({
      defaults: { patPolicy: { requireApproval: true } },
      enterprises: [enterprise("acme", { requireApproval: false })],
      organizations: [orgEntry({ enterprise: "acme" })],
    });
    expect(configProblems(text)).toEqual([
      expect.stringMatching(
        /^policy\.yaml:3:\d+ defaults\.patPolicy\.requireApproval: is true, but enterprise acme disables approval for fine-grained tokens/,
      ),
    ]);
  });

  test("fails when an organization names an enterprise that is not listed, naming those that are", () => {
    const text = file({ enterprises: [enterprise("acme")], organizations: [orgEntry({ enterprise: "globex" })] });
    expect(configProblems(text)).toEqual([
      expect.stringMatching(/organizations\[0\]\.enterprise: names no enterprise listed in enterprises \(it lists acme\), got "globex"$/),
    ]);
  });

  test("fails when an organization is on another host than its enterprise", () => {
    const text = file({
      enterprises: [enterprise("acme", {}, { githubUrl: "https://github.acme.example" })],
      organizations: [orgEntry({ enterprise: "acme" })],
    });
    expect(configProblems(text)).toEqual([
      expect.stringMatching(
        /organizations\[0\]\.enterprise: is on https:\/\/github\.com, but enterprise acme is on https:\/\/github\.acme\.example; an organization belongs to an enterprise on its own GitHub instance$/,
      ),
    ]);
  });

  test("fails at the organization's githubUrl when it names another host than the enterprise named in defaults", () => {
    // GIVEN every organization is in enterprise acme (through defaults), and one sits on a GHES host
    const text = file({
      defaults: { enterprise: "acme" },
      enterprises: [enterprise("acme")],
      organizations: [orgEntry(), orgEntry({ login: "acme-labs", githubUrl: "https://github.acme.example" })],
    });
    // THEN only that one is reported, at its own githubUrl
    expect(configProblems(text)).toEqual([
      expect.stringMatching(
        /organizations\[1\]\.githubUrl: is on https:\/\/github\.acme\.example, but enterprise acme is on https:\/\/github\.com;/,
      ),
    ]);
  });

  test("fails on a duplicate enterprise slug, on a bad slug, and on a stack name that is an organization's login", () => {
    const text = file({
      enterprises: [enterprise("acme"), enterprise("acme"), enterprise("Bad_Slug"), enterprise("corp")],
      organizations: [orgEntry({ login: "enterprise-corp" })],
    });
    expect(configProblems(text)).toEqual([
      expect.stringMatching(/enterprises\[1\]\.slug: duplicate enterprise slug \(first used by enterprises\[0\]\), got "acme"$/),
      expect.stringMatching(/enterprises\[2\]\.slug: must be a GitHub enterprise slug.*, got "Bad_Slug"$/),
      expect.stringMatching(/enterprises\[3\]\.slug: names the stack enterprise-corp, which is organizations\[0\]'s login/),
    ]);
  });

  test("fails on enterprise policy values GitHub does not offer", () => {
    const text = file({
      enterprises: [enterprise("acme", { fineGrainedTokens: "deny", requireApproval: "yes", maxLifetimeDays: 400 })],
      organizations: [orgEntry()],
    });
    expect(configProblems(text)).toEqual([
      expect.stringMatching(
        /enterprises\[0\]\.patPolicy\.fineGrainedTokens: must be one of allow, restrict, organizations-decide, got "deny"$/,
      ),
      expect.stringMatching(/enterprises\[0\]\.patPolicy\.requireApproval: must be true, false or organizations-decide, got "yes"$/),
      expect.stringMatching(/enterprises\[0\]\.patPolicy\.maxLifetimeDays: must be between 1 and 366, got 400$/),
    ]);
  });
});

describe("effectivePatPolicy", () => {
  test("declared values stand; the enterprise fills what is left out; the default fills the rest", () => {
    const e = bounds({ maxLifetimeDays: 60, classicTokens: "allow" });
    expect(effectivePatPolicy({ maxLifetimeDays: 30 }, e)).toEqual({
      fineGrainedTokens: "allow",
      requireApproval: true,
      maxLifetimeDays: 30,
      classicTokens: "allow",
    });
    expect(effectivePatPolicy({}, e)).toEqual({
      fineGrainedTokens: "allow",
      requireApproval: true,
      maxLifetimeDays: 60,
      classicTokens: "allow",
    });
    expect(effectivePatPolicy(undefined)).toEqual({
      fineGrainedTokens: "allow",
      requireApproval: true,
      maxLifetimeDays: 366,
      classicTokens: "restrict",
    });
  });

  test("finds no conflict in a declaration within the enterprise's bounds", () => {
    expect(
      enterpriseConflicts(
        { fineGrainedTokens: "allow", maxLifetimeDays: 60, requireApproval: true },
        bounds({ fineGrainedTokens: "allow", maxLifetimeDays: 60, requireApproval: true }),
      ),
    ).toEqual([]);
  });

  test("fails when an organization restricts what its enterprise allows for all", () => {
    expect(enterpriseConflicts({ fineGrainedTokens: "restrict" }, bounds({ fineGrainedTokens: "allow" })).map((c) => c.key)).toEqual([
      "fineGrainedTokens",
    ]);
  });
});

describe("enterpriseBindings", () => {
  test("names what the enterprise decides and the caps in force, nothing when it lets organizations decide", () => {
    const e = bounds({ fineGrainedTokens: "allow", classicTokens: "allow", maxLifetimeDays: 90, classicMaxLifetimeDays: 30 });
    expect(enterpriseBindings(effectivePatPolicy({}, e), e)).toEqual({
      fineGrainedTokens: "allow",
      classicTokens: "allow",
      maxLifetimeDays: "90 days",
      classicMaxLifetimeDays: "30 days",
    });
    expect(enterpriseBindings(effectivePatPolicy({ maxLifetimeDays: 30 }, e), e)).toEqual({
      fineGrainedTokens: "allow",
      classicTokens: "allow",
      classicMaxLifetimeDays: "30 days",
    });
    // the enterprise's classic cap is not in force where classic tokens stay out (the organization decides, and restricts by default)
    const capOnly = bounds({ classicMaxLifetimeDays: 30 });
    expect(effectivePatPolicy({}, capOnly).classicMaxLifetimeDays).toBeUndefined();
    expect(effectivePatPolicy({ classicTokens: "allow" }, capOnly).classicMaxLifetimeDays).toBe(30);
    expect(enterpriseBindings(effectivePatPolicy({}, bounds({})), bounds({}))).toEqual({});
    expect(enterpriseBindings(effectivePatPolicy({}), undefined)).toEqual({});
  });
});
