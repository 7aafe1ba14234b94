import { join } from "node:path";
import { RepositoryFile } from "@cdktf/provider-github/lib/repository-file";
import { run } from "../../cli";
import { loadConfig, parseConfigOrThrow } from "../../lib/config/load";
import { memberGuideMarkdown, sentence } from "../../lib/model/guide-text";
import { tokenRequestTemplate } from "../../lib/model/token-request";
import { enterpriseOf } from "../../lib/config/effective-policy";
import { stringify } from "yaml";
import { OrgTokenPolicy } from "../../lib/constructs/org-token-policy";
import { orgEntry, parseOrg } from "../../test-support/config";
import { captureIO } from "../../test-support/io";
import { newStack, synthJson } from "../../test-support/stack";

const file = join(__dirname, "..", "..", "token-policy.yaml");
const [corp, labs] = loadConfig(file).config.organizations;

/** The guide's sections by heading. */
function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(/^## /m).slice(1)) out.set(part.split("\n")[0], part);
  return out;
}

describe("member guide", () => {
  test("links to the member page when the config turns it on, and is unchanged otherwise", () => {
    // GIVEN the same organization without the page, with it turned off, and with it on
    const without = memberGuideMarkdown(parseOrg(orgEntry()));
    const off = memberGuideMarkdown(parseOrg(orgEntry({ memberPage: { enabled: false, url: "https://tokens.example.com" } })));
    const on = memberGuideMarkdown(parseOrg(orgEntry({ memberPage: { url: "https://tokens.example.com/" } })));
    // THEN only the guide with the page on links to it, in the section on a missing organization
    expect(off).toBe(without);
    expect(without).not.toContain("/member/");
    const missing = sections(on).get('acme-corp is missing from the "Resource owner" list')!;
    expect(missing).toContain(
      "sign in with GitHub on [your token page](https://tokens.example.com/member/acme-corp): it shows your own standing in acme-corp, to you alone.",
    );
    // AND nothing else in the guide changes
    expect(on.replace(/^To see which reason is yours.*\n\n/m, "")).toBe(without);
  });

  test("says what the example config says, section by section", () => {
    const s = sections(memberGuideMarkdown(corp));
    expect([...s.keys()]).toEqual([
      "The policy",
      'acme-corp is missing from the "Resource owner" list',
      "Single sign-on",
      "What is approved automatically, and how to ask for it",
    ]);
    expect(s.get("The policy")).toContain("for at most **90 days**");
    expect(s.get("The policy")).toContain("waits for an organization owner");
    expect(s.get("The policy")).toContain("Classic tokens cannot reach acme-corp.");
    expect(s.get('acme-corp is missing from the "Resource owner" list')).toContain("acme-corp allows them, so this is not the reason");
    expect(s.get("Single sign-on")).toContain("a fine-grained token is authorized while you create it");
    const rules = s.get("What is approved automatically, and how to ask for it")!;
    expect(rules).toContain("### Approved: read-only tokens for anyone");
    expect(rules).toContain(
      "Read-only access (contents: read, issues: read, pull\\_requests: read, metadata: read) to selected repositories for up to 30 days is approved automatically.",
    );
    expect(rules).toContain("- Only accounts matching mona or release-bot are approved by this rule.");
    expect(rules).toContain("### Denied: no organization administration");
    expect(rules).toContain("Reason given: Organization administration is not granted to personal tokens; ask platform-team.");
    expect(rules.match(/\[create this token\]\(https:\/\/github\.com\/settings\/personal-access-tokens\/new\?/g)).toHaveLength(2);
  });

  test("invisible characters in a rule's reason are shown escaped", () => {
    // GIVEN a deny rule whose reason hides a word joiner and a Unicode tag character
    const org = parseOrg(
      orgEntry({
        approval: {
          rules: [
            {
              name: "no admin",
              action: "deny",
              reason: "no\u2060 admin\u{E0020}",
              match: { permissions: { organization: { administration: "write" } } },
            },
          ],
        },
      }),
    );
    // WHEN the guide is written
    const text = memberGuideMarkdown(org);
    // THEN a reader sees where they are, and nothing invisible is passed on
    expect(text).toContain("Reason given: no\\<U+2060\\> admin\\<U+E0020\\>");
    expect(text).not.toMatch(/[\u2060\u{E0000}-\u{E007F}]/u);
  });

  test("on GitHub Enterprise Server it says there are no pre-filled links, and gives the values", () => {
    const text = memberGuideMarkdown(labs);
    expect(text).toContain("https://github.acme.example is a GitHub Enterprise Server: it has no pre-filled token links.");
    expect(text).not.toContain("create this token");
    expect(text).toContain("- Expiration: **7 days**");
    expect(text).toContain("Anything else is denied: Only short-lived read-only tokens are allowed in acme-labs");
  });

  test("an organization that blocks fine-grained tokens is told so where members look first", () => {
    const text = memberGuideMarkdown(parseOrg(orgEntry({ patPolicy: { fineGrainedTokens: "restrict" } })));
    expect(text).toContain("**Fine-grained tokens cannot reach acme-corp.**");
    expect(text).toContain("acme-corp blocks them (see the policy above): this is why.");
  });

  test("an organization whose enterprise restricts fine-grained tokens is told the enterprise is why", () => {
    // GIVEN an organization that declares nothing, under an enterprise that restricts fine-grained tokens
    const config = parseConfigOrThrow(
      stringify({
        enterprises: [{ slug: "acme", patPolicy: { fineGrainedTokens: "restrict" } }],
        organizations: [orgEntry({ enterprise: "acme" })],
      }),
      "p.yaml",
    );
    const org = config.organizations[0];
    // WHEN its guide is written
    const text = memberGuideMarkdown(org, enterpriseOf(config, org));
    // THEN the policy and the missing-organization section both name the enterprise as the reason
    expect(text).toContain(
      "**Fine-grained tokens cannot reach acme-corp:** its enterprise, acme, restricts them for all of its organizations, and acme-corp cannot change that.",
    );
    expect(text).toContain("acme-corp is blocked by its enterprise (below): this is why.");
    expect(text).toContain("its enterprise, acme, does, so this is why. Only the enterprise's owners can change it.");
    expect(text).not.toContain("acme-corp blocks them");
  });

  test("an enterprise's lifetime cap and approval are named as the enterprise's, and the token links use the cap", () => {
    // GIVEN an enterprise capping fine-grained tokens at 60 days and requiring approval, and an approve rule without its own lifetime
    const rule = { name: "read", action: "approve", match: { permissions: { repository: { contents: "read" } } } };
    const config = parseConfigOrThrow(
      stringify({
        enterprises: [{ slug: "acme", patPolicy: { maxLifetimeDays: 60, requireApproval: true } }],
        organizations: [orgEntry({ enterprise: "acme", approval: { rules: [rule] } })],
      }),
      "p.yaml",
    );
    const org = config.organizations[0];
    const text = memberGuideMarkdown(org, enterpriseOf(config, org));
    // THEN the guide names the enterprise for both, and the pre-filled link asks for 60 days
    expect(text).toContain("for at most **60 days** (the most its enterprise, acme, allows any of its organizations).");
    expect(text).toContain("Its enterprise, acme, requires approval of every fine-grained token in all of its organizations.");
    expect(text).toContain("its enterprise, acme, does not, so this is not the reason.");
    expect(tokenRequestTemplate(org, 0).url).toContain("expires_in=60");
  });

  test("a deny rule on any of some permissions reads as one sentence with its verb agreeing", () => {
    expect(
      sentence({ name: "n", action: "deny", reason: "r", match: { anyPermission: { organization: { administration: "read" } } } } as never),
    ).toBe("A token asking for any of organization administration: read is denied.");
  });

  test("repository selections read as GitHub's token form words them", () => {
    expect(sentence({ name: "n", action: "approve", reason: "r", match: { repositorySelection: ["subset", "all"] } } as never)).toBe(
      "Any access to selected repositories or all repositories is approved automatically.",
    );
    expect(sentence({ name: "n", action: "deny", reason: "r", match: { repositorySelection: ["none"] } } as never)).toBe(
      "Any access to public repositories only is denied.",
    );
  });

  test("escapes what comes from the config", () => {
    const text = memberGuideMarkdown(
      parseOrg(
        orgEntry({ approval: { rules: [{ name: "x", action: "deny", reason: "@octocat <b>no</b>", match: { owners: ["[bot]*"] } }] } }),
      ),
    );
    expect(text).toContain("@\u2060octocat \\<b\\>no\\</b\\>");
    expect(text).toContain("\\[bot\\]\\*");
  });

  test("token-policy guide prints it, from the config alone", async () => {
    const io = captureIO({});
    expect(await run(["guide", "--org", "acme-labs", "--config", file], io)).toBe(0);
    expect(io.out()).toBe(memberGuideMarkdown(labs));
  });

  test("published with the policy: a rule change changes the file's content in the synthesized stack", () => {
    const content = (rules: unknown[]) => {
      const stack = newStack();
      OrgTokenPolicy.fromConfig(stack, "token-policy", parseOrg(orgEntry({ guide: { repository: ".github" }, approval: { rules } })));
      const { synth, tf } = synthJson(stack);
      expect(synth).toHaveResourceWithProperties(RepositoryFile, {
        repository: ".github",
        file: "profile/TOKENS.md",
        overwrite_on_create: true,
      });
      return (Object.values(tf.resource.github_repository_file)[0] as { content: string }).content;
    };
    const before = content([
      { name: "docs", action: "approve", match: { permissions: { repository: { contents: "read" } }, maxLifetimeDays: 30 } },
    ]);
    const after = content([
      { name: "docs", action: "approve", match: { permissions: { repository: { contents: "read" } }, maxLifetimeDays: 7 } },
    ]);
    expect(before).toContain("for up to 30 days is approved automatically");
    expect(after).toContain("for up to 7 days is approved automatically");
  });

  test("fails when the guide path leaves the repository", () => {
    expect(() => parseOrg(orgEntry({ guide: { repository: ".github", path: "../x.md" } }))).toThrow(
      /guide\.path: must be a relative path inside the repository/,
    );
  });
});

describe("member guide for a teams rule", () => {
  test("says which teams a rule approves", () => {
    const app = {
      name: "b",
      homepageUrl: "https://x.example",
      permissions: { organization_personal_access_token_requests: "write", members: "read" },
    };
    const org = parseOrg(
      orgEntry({
        app,
        approval: {
          rules: [
            {
              name: "platform",
              action: "approve",
              match: { teams: ["platform", "sre"], permissions: { repository: { contents: "read" } } },
            },
          ],
        },
      }),
    );
    expect(memberGuideMarkdown(org)).toContain(
      "Read-only access (contents: read) for members of team platform or team sre is approved automatically.",
    );
  });
});
