import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { parseConfig } from "../../lib/config/load";
import { diffConfigs, matchWidened, summarizeMatch } from "../../lib/report/diff";

const exampleText = readFileSync(join(__dirname, "..", "..", "token-policy.yaml"), "utf8");
const base = () => parse(exampleText);
const load = (obj: unknown) => parseConfig(stringify(obj), "x.yaml");

describe("diffConfigs", () => {
  test("nothing changed gives nothing", () => {
    expect(diffConfigs(load(base()), load(base()))).toEqual([]);
  });

  test("orders the riskiest first: permissions, lifetime, approval, visibility, organizations, then the rest", () => {
    const head = base();
    head.organizations[0].app.permissions.contents = "write"; // widened
    head.defaults.patPolicy.maxLifetimeDays = 120; // lifetime raised (both orgs? acme-labs overrides to 30)
    head.organizations[0].approval.rules.splice(2, 1); // deny rule removed
    head.organizations[0].credentials.actions.repositories.push("web"); // secret readable by more
    head.organizations.push({ login: "acme-new", app: { name: "n", homepageUrl: "https://x.example" }, credentials: { actions: { visibility: "private" } } });
    head.organizations[0].app.description = "new words"; // the rest
    const changes = diffConfigs(load(base()), load(head));
    expect(changes.map((c) => [c.org, c.score, c.text])).toEqual([
      ["acme-corp", 100, "App permission contents widened: read → write."],
      ["acme-corp", 90, "Fine-grained token lifetime raised: 90 → 120 days."],
      ["acme-corp", 80, 'Approval loosened: deny rule "no organization administration" removed.'],
      ["acme-corp", 68, "Secret visibility widened (actions): now also readable by web."],
      ["acme-new", 60, "Organization acme-new added: its policy, App and credentials are created on deploy."],
      ["acme-corp", 10, "App name, homepage or description changed."],
    ]);
  });

  test("an approve rule that now matches more is flagged; one that matches less is not", () => {
    const wider = base();
    wider.organizations[0].approval.rules[0].match.maxLifetimeDays = 60;
    expect(diffConfigs(load(base()), load(wider))[0]).toMatchObject({ score: 80, text: expect.stringMatching(/^Rule "read-only tokens for anyone" now approves more: .*lifetime ≤ 60 days \(was .*lifetime ≤ 30 days\)\.$/) });
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
    expect(texts).toContain("Organization acme-labs removed: its stack is no longer synthesized; destroy it first (cdktf destroy acme-labs) or its secrets and App stay as they are.");
  });

  test("matchWidened: dropped keys, grown lists and raised levels widen", () => {
    expect(matchWidened({ owners: ["a"] }, {})).toBe(true);
    expect(matchWidened({ owners: ["a"] }, { owners: ["a", "b"] })).toBe(true);
    expect(matchWidened({ owners: ["a", "b"] }, { owners: ["a"] })).toBe(false);
    expect(matchWidened({ permissions: { repository: { contents: "read" } } }, { permissions: { repository: { contents: "write" } } })).toBe(true);
    expect(matchWidened({ permissions: { repository: { contents: "write" } } }, { permissions: { repository: { contents: "read" } } })).toBe(false);
  });
});

describe("teams in a rule change", () => {
  test("dropping or growing a rule's teams widens it; narrowing them does not", () => {
    expect(matchWidened({ teams: ["platform"] }, {})).toBe(true);
    expect(matchWidened({ teams: ["platform"] }, { teams: ["platform", "contractors"] })).toBe(true);
    expect(matchWidened({ teams: ["platform", "sre"] }, { teams: ["platform"] })).toBe(false);
    expect(summarizeMatch({ teams: ["platform", "sre"], permissions: { repository: { contents: "read" } } })).toBe("teams platform, sre; permissions at most contents: read");
  });
});
