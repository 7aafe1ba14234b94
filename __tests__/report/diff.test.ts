import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { parseConfigOrThrow } from "../../lib/config/load";
import { diffConfigs, matchWidened, summarizeMatch } from "../../lib/report/diff";

const exampleText = readFileSync(join(__dirname, "..", "..", "token-policy.yaml"), "utf8");
const base = () => parse(exampleText);
const load = (obj: unknown) => parseConfigOrThrow(stringify(obj), "x.yaml");

describe("diffConfigs", () => {
  test("nothing changed gives nothing", () => {
    expect(diffConfigs(load(base()), load(base()))).toEqual([]);
  });

  test("orders the riskiest first: permissions, lifetime, approval, visibility, organizations, then the rest", () => {
    const head = base();
    head.organizations[0].app.permissions.contents = "write"; // widened
    head.defaults.patPolicy.maxLifetimeDays = 120; // lifetime raised (both orgs? acme-labs overrides to 30)
    head.enterprises[0].patPolicy.maxLifetimeDays = 120; // acme-corp's enterprise lets it
    head.organizations[0].approval.rules.splice(2, 1); // deny rule removed
    head.organizations[0].credentials.actions.repositories.push("web"); // secret readable by more
    head.organizations.push({
      login: "acme-new",
      app: { name: "n", homepageUrl: "https://x.example" },
      credentials: { actions: { visibility: "private" } },
    });
    head.organizations[0].app.description = "new words"; // the rest
    const changes = diffConfigs(load(base()), load(head));
    expect(changes.map((c) => [c.org, c.score, c.text])).toEqual([
      ["acme-corp", 100, "App permission contents widened: read → write."],
      [
        "enterprise acme",
        95,
        "Enterprise fine-grained token lifetime raised: 90 days → 120 days for every organization of the enterprise.",
      ],
      ["acme-corp", 90, "Fine-grained token lifetime raised: 90 → 120 days."],
      ["acme-corp", 80, 'Approval loosened: deny rule "no organization administration" removed.'],
      ["acme-corp", 68, "Secret visibility widened (actions): now also readable by web."],
      ["acme-new", 60, "Organization acme-new added: its policy, App and credentials are created on deploy."],
      ["acme-corp", 10, "App name, homepage or description changed."],
    ]);
  });

  test("an enterprise loosening ranks above the same loosening in an organization, and reaches the organizations it bounds", () => {
    // GIVEN enterprise acme goes from restricting classic tokens to allowing them, and from requiring approval to letting organizations decide
    const head = base();
    head.enterprises[0].patPolicy.classicTokens = "allow";
    head.enterprises[0].patPolicy.requireApproval = "organizations-decide";
    delete head.defaults.patPolicy.classicTokens; // acme-corp no longer declares it: the enterprise decides
    head.organizations[1].patPolicy.classicTokens = "restrict"; // acme-labs, outside the enterprise, keeps restricting
    // WHEN the two are compared
    const changes = diffConfigs(load(base()), load(head));
    // THEN the enterprise's change comes first, then the organization's effective change
    expect(changes.map((c) => [c.org, c.score, c.text])).toEqual([
      ["enterprise acme", 100, "Enterprise classic tokens: restrict → allow (loosened for every organization of the enterprise)."],
      ["acme-corp", 95, "Classic tokens: restrict → allow."],
      [
        "enterprise acme",
        90,
        "Enterprise approval of fine-grained tokens: true → organizations-decide (loosened for every organization of the enterprise).",
      ],
    ]);
  });

  test("revokeUnusedAfterDays removed or raised is a loosening; set or lowered is not", () => {
    // GIVEN acme-corp revokes tokens unused for 30 days
    const before = base();
    before.organizations[0].approval.revokeUnusedAfterDays = 30;
    const later = base();
    later.organizations[0].approval.revokeUnusedAfterDays = 90;
    // WHEN the setting is removed, raised, or set where there was none
    const show = (a: unknown, b: unknown) => diffConfigs(load(a), load(b)).map((c) => [c.org, c.score, c.text]);
    // THEN each is listed, the loosenings as widening access
    expect(show(before, base())).toEqual([
      ["acme-corp", 75, "Approval loosened: unused granted tokens are never revoked (was revoked after 30 days)."],
    ]);
    expect(show(before, later)).toEqual([
      ["acme-corp", 75, "Approval loosened: unused granted tokens are revoked after 90 days (was revoked after 30 days)."],
    ]);
    expect(show(base(), before)).toEqual([["acme-corp", 20, "Unused granted tokens are revoked after 30 days (was never revoked)."]]);
  });

  test("a change of the App's recorded ids is listed for review", () => {
    // GIVEN acme-corp records its App's ids and installation
    const before = base();
    Object.assign(before.organizations[0].app, { id: 1, clientId: "Iv23liAAAAAAAAAAAAAA", slug: "acme-token-broker" });
    before.organizations[0].app.installation.id = 5;
    // WHEN a change points them at another App
    const after = base();
    Object.assign(after.organizations[0].app, { id: 2, clientId: "Iv23liBBBBBBBBBBBBBB", slug: "acme-token-broker" });
    after.organizations[0].app.installation.id = 6;
    // THEN the report says so, where it used to say nothing changed
    expect(diffConfigs(load(before), load(after)).map((c) => [c.org, c.score, c.text])).toEqual([
      [
        "acme-corp",
        45,
        "The App's identity changes (app.id: 1 → 2, app.clientId: Iv23liAAAAAAAAAAAAAA → Iv23liBBBBBBBBBBBBBB, app.installation.id: 5 → 6): check it is still the organization's own App.",
      ],
    ]);
  });

  test("enterprises added or removed, an organization changing enterprise, and tightening are all listed, tightening low", () => {
    const head = base();
    head.enterprises[0].patPolicy.maxLifetimeDays = 30;
    head.enterprises[0].patPolicy.exemptAdministrators = true;
    head.enterprises.push({ slug: "globex" });
    head.organizations[0].enterprise = "globex";
    head.defaults.patPolicy.maxLifetimeDays = 30;
    const changes = diffConfigs(load(base()), load(head));
    expect(changes.map((c) => [c.org, c.score, c.text])).toEqual([
      ["enterprise acme", 80, "Enterprise lifetime maximums no longer apply to administrators."],
      ["enterprise globex", 60, "Enterprise globex added: its stack records its PAT policy, which bounds the organizations that name it."],
      ["acme-corp", 50, "Enterprise of acme-corp: acme → globex (its effective policy follows the new enterprise's bounds)."],
      ["enterprise acme", 20, "Enterprise fine-grained token lifetime lowered: 90 days → 30 days."],
      ["acme-corp", 20, "Fine-grained token lifetime lowered: 90 → 30 days."],
    ]);
  });

  test("an approve rule that now matches more is flagged; one that matches less is not", () => {
    const wider = base();
    wider.organizations[0].approval.rules[0].match.maxLifetimeDays = 60;
    expect(diffConfigs(load(base()), load(wider))[0]).toMatchObject({
      score: 80,
      text: expect.stringMatching(
        /^Rule "read-only tokens for anyone" now approves more: .*lifetime ≤ 60 days \(was .*lifetime ≤ 30 days\)\.$/,
      ),
    });
    const narrower = base();
    narrower.organizations[0].approval.rules[0].match.maxLifetimeDays = 7;
    expect(diffConfigs(load(base()), load(narrower))[0]).toMatchObject({ score: 25 });
  });

  test("loosened approval: owner approval off, otherwise leave, revocation off, classic tokens allowed", () => {
    const b = base();
    b.organizations[1].approval.otherwise = "deny";
    const h = base();
    h.organizations[1].approval.otherwise = "leave";
    h.organizations[1].patPolicy.requireApproval = false;
    h.organizations[1].patPolicy.classicTokens = "allow";
    const texts = diffConfigs(load(b), load(h)).map((c) => [c.score, c.text]);
    expect(texts).toEqual([
      [95, "Classic tokens: restrict → allow."],
      [85, "Approval loosened: fine-grained tokens no longer need approval."],
      [80, "Approval loosened: requests no rule matches are left to owners instead of denied."],
    ]);
  });

  test("secret visibility selected → all is widened; organizations removed are named", () => {
    const h = base();
    h.organizations[0].credentials.actions = { visibility: "all" };
    h.organizations[0].credentials.dependabot = { visibility: "all" };
    h.organizations.pop();
    const texts = diffConfigs(load(base()), load(h)).map((c) => c.text);
    expect(texts).toContain("Secret visibility widened (actions): release-tools only → every repository, public ones included.");
    expect(texts).toContain(
      "Organization acme-labs removed: its stack is no longer synthesized; destroy it first (cdktf destroy acme-labs) or its secrets and App stay as they are.",
    );
  });

  test("matchWidened: dropped keys, grown lists and raised levels widen", () => {
    expect(matchWidened({ owners: ["a"] }, {})).toBe(true);
    expect(matchWidened({ owners: ["a"] }, { owners: ["a", "b"] })).toBe(true);
    expect(matchWidened({ owners: ["a", "b"] }, { owners: ["a"] })).toBe(false);
    expect(
      matchWidened({ permissions: { repository: { contents: "read" } } }, { permissions: { repository: { contents: "write" } } }),
    ).toBe(true);
    expect(
      matchWidened({ permissions: { repository: { contents: "write" } } }, { permissions: { repository: { contents: "read" } } }),
    ).toBe(false);
  });
});

describe("diffConfigs ranks by effect", () => {
  const riskiest = (head: any) => diffConfigs(load(base()), load(head))[0];

  test("moving the member guide to another repository or branch ranks as a file written into a repository", () => {
    const head = base();
    head.organizations[0].guide = { repository: "payments-service", path: "docs/SECURITY.md" };
    expect(riskiest(head)).toEqual({
      org: "acme-corp",
      score: 90,
      text: "The member guide's target moves: .github:profile/TOKENS.md on the default branch → payments-service:docs/SECURITY.md on the default branch. Every deploy writes that file, overwriting what is there: check it is meant for it.",
    });
    const branch = base();
    branch.organizations[0].guide.branch = "release";
    expect(riskiest(branch)).toMatchObject({ score: 90, text: expect.stringContaining("→ .github:profile/TOKENS.md on branch release.") });
  });

  test("a member guide newly kept is a file written by every deploy; one no longer kept is not a risk", () => {
    const head = base();
    head.organizations[1].guide = { repository: "handbook" };
    expect(riskiest(head)).toMatchObject({
      org: "acme-labs",
      score: 90,
      text: expect.stringMatching(
        /^Every deploy now writes the member guide into a repository, overwriting what is there: handbook:profile\/TOKENS\.md/,
      ),
    });
    const gone = base();
    delete gone.organizations[0].guide;
    expect(riskiest(gone)).toMatchObject({ score: 15 });
  });

  test.each([
    [
      "another bucket",
      { type: "s3", bucket: "attacker-state", region: "eu-west-1" },
      { type: "s3", bucket: "acme-state", region: "eu-west-1" },
      "bucket: acme-state → attacker-state",
    ],
    [
      "another key",
      { type: "s3", bucket: "acme-state", key: "x/terraform.tfstate", region: "eu-west-1" },
      { type: "s3", bucket: "acme-state", region: "eu-west-1" },
      "key: default → x/terraform.tfstate",
    ],
    [
      "another role",
      { type: "s3", bucket: "acme-state", region: "eu-west-1", roleArn: "arn:aws:iam::1:role/x" },
      { type: "s3", bucket: "acme-state", region: "eu-west-1" },
      "roleArn: default → arn:aws:iam::1:role/x",
    ],
    ["another prefix", { type: "gcs", bucket: "b", prefix: "other" }, { type: "gcs", bucket: "b" }, "prefix: default → other"],
    [
      "another workspace",
      { type: "cloud", organization: "acme", workspace: "w2" },
      { type: "cloud", organization: "acme" },
      "workspace: default → w2",
    ],
    [
      "a look-alike host, shown in punycode",
      { type: "cloud", organization: "acme", hostname: "app.terrafоrm.io" },
      { type: "cloud", organization: "acme" },
      "hostname: app.terraform.io → app.xn--terrafrm-sbh.io",
    ],
    ["another backend type", { type: "s3", bucket: "b", region: "r" }, { type: "local" }, "local → s3 bucket b"],
    [
      "a local path outside the project",
      { type: "local", path: "/srv/elsewhere.tfstate", allowOutsideProject: true },
      { type: "local" },
      "path: default → /srv/elsewhere.tfstate, outside the project",
    ],
  ])("the state backend moving to %s ranks as risky", (_what, headBackend, baseBackend, moved) => {
    const b = base();
    b.organizations[1].backend = baseBackend;
    const h = base();
    h.organizations[1].backend = headBackend;
    const changes = diffConfigs(load(b), load(h));
    expect(changes[0]).toMatchObject({
      org: "acme-labs",
      score: 108,
      text: `State backend moves (${moved}): plan and deploy read and write the state there, and it holds the sealed key and every secret's metadata. Check the new place is yours, and migrate state before deploying. The pull-request plan refuses it (token-policy plan-guard); it is planned after merge.`,
    });
  });

  test("state encryption turned off ranks as risky", () => {
    const b = base();
    b.organizations[1].backend = { type: "s3", bucket: "b", region: "r" };
    const h = base();
    h.organizations[1].backend = { type: "s3", bucket: "b", region: "r", encrypt: false };
    expect(diffConfigs(load(b), load(h))[0]).toMatchObject({
      score: 108,
      text: expect.stringMatching(/^State backend encryption turned off.* The pull-request plan refuses it \(token-policy plan-guard\)/),
    });
  });

  test("a deny rule whose anyPermission loses an entry widens access", () => {
    const b = base();
    b.organizations[0].approval.rules[2].match.anyPermission = {
      organization: { administration: "read" },
      repository: { secrets: "read" },
    };
    const h = base();
    expect(diffConfigs(load(b), load(h))[0]).toEqual({
      org: "acme-corp",
      score: 80,
      text: 'Approval loosened: deny rule "no organization administration" now denies less: any of organization administration: read (was any of organization administration: read, secrets: read).',
    });
  });

  test.each([
    ["gains a permissions limit", (m: any) => (m.permissions = { repository: { contents: "write" } })],
    ["narrows its owners", (m: any) => (m.owners = ["interns-*"])],
    ["narrows its repositories", (m: any) => (m.repositories = ["payments"])],
    ["raises an anyPermission level", (m: any) => (m.anyPermission.organization.administration = "write")],
  ])("a deny rule that %s widens access", (_what, change) => {
    const h = base();
    change(h.organizations[0].approval.rules[2].match);
    expect(diffConfigs(load(base()), load(h))[0]).toMatchObject({
      score: 80,
      text: expect.stringMatching(/^Approval loosened: deny rule "no organization administration" now denies less/),
    });
  });

  test("a deny rule whose anyPermission gains an entry denies more, a narrowing", () => {
    const h = base();
    h.organizations[0].approval.rules[2].match.anyPermission.repository = { secrets: "read" };
    expect(diffConfigs(load(base()), load(h))[0]).toMatchObject({
      score: 20,
      text: expect.stringMatching(/^Rule "no organization administration" denies more/),
    });
  });

  test("the GitHub instance is shown with its host in punycode", () => {
    // (the loader refuses a look-alike githubUrl; a config built in code reaches diffConfigs as is)
    const h = load(base());
    const head = { ...h, organizations: h.organizations.map((o, i) => (i === 1 ? { ...o, githubUrl: "https://github.acme.exаmple" } : o)) };
    expect(diffConfigs(load(base()), head)[0].text).toMatch(
      /^GitHub instance changed: https:\/\/github\.acme\.example → https:\/\/github\.acme\.xn--exmple-/,
    );
  });
});

describe("teams in a rule change", () => {
  test("dropping or growing a rule's teams widens it; narrowing them does not", () => {
    expect(matchWidened({ teams: ["platform"] }, {})).toBe(true);
    expect(matchWidened({ teams: ["platform"] }, { teams: ["platform", "contractors"] })).toBe(true);
    expect(matchWidened({ teams: ["platform", "sre"] }, { teams: ["platform"] })).toBe(false);
    expect(summarizeMatch({ teams: ["platform", "sre"], permissions: { repository: { contents: "read" } } })).toBe(
      "teams platform, sre; permissions at most contents: read",
    );
  });
});

describe("diffConfigs: the brake on mass revocation", () => {
  test.each([
    [
      { minTokens: 50 },
      75,
      "Brake on mass revocation loosened: one run may revoke the larger of 50 tokens and 10% of the granted tokens (was the larger of 10 tokens and 10%).",
    ],
    [
      { share: 0.5 },
      75,
      "Brake on mass revocation loosened: one run may revoke the larger of 10 tokens and 50% of the granted tokens (was the larger of 10 tokens and 10%).",
    ],
    [
      { minTokens: 2, share: 0.05 },
      20,
      "Brake on mass revocation tightened: one run may revoke the larger of 2 tokens and 5% of the granted tokens (was the larger of 10 tokens and 10%).",
    ],
  ])("ranks review.massRevocation %j as loosened or tightened", (massRevocation, score, text) => {
    // GIVEN the example config WHEN a pull request changes one organization's brake
    const head = base();
    head.organizations[0].review = { massRevocation };
    // THEN the report names the change, a looser brake as high risk
    expect(diffConfigs(load(base()), load(head)).map((c) => [c.score, c.text])).toEqual([[score, text]]);
  });
});
