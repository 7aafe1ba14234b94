import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfigOrThrow } from "../../lib/config/load";
import { MemberGuide } from "../../lib/constructs/member-guide";
import { newStack, synthJson } from "../../test-support/stack";

const organization = parseConfigOrThrow(readFileSync(join(__dirname, "..", "..", "token-policy.yaml"), "utf8"), "token-policy.yaml")
  .organizations[0];

describe("MemberGuide", () => {
  test("commits the guide with the member page's link when the config turns the page on, at the same address", () => {
    // GIVEN the example organization with and without the member page
    const withPage = { ...organization, memberPage: { enabled: true, url: "https://tokens.example.com" } };
    const plain = newStack();
    new MemberGuide(plain, "guide", { organization, repository: "handbook" });
    const linked = newStack();
    new MemberGuide(linked, "guide", { organization: withPage, repository: "handbook" });
    const [a, b] = [synthJson(plain).tf, synthJson(linked).tf];
    // THEN the same resource holds the guide, whose text now links to the page
    expect(Object.keys(b.resource.github_repository_file)).toEqual(Object.keys(a.resource.github_repository_file));
    const content = (tf: typeof a) => (Object.values(tf.resource.github_repository_file)[0] as { content: string }).content;
    expect(content(a)).not.toContain("https://tokens.example.com/member/acme-corp");
    expect(content(b)).toContain("(https://tokens.example.com/member/acme-corp)");
  });

  test("writes the guide to the path given, overwriting what is there", () => {
    const stack = newStack();
    new MemberGuide(stack, "guide", { organization, repository: "handbook", path: "security/TOKENS.md" });
    const { tf } = synthJson(stack);
    expect(Object.values(tf.resource.github_repository_file)).toEqual([
      expect.objectContaining({ repository: "handbook", file: "security/TOKENS.md", overwrite_on_create: true }),
    ]);
  });

  test.each([".github/workflows/tokens.yml", "CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS"])(
    "fails when the path is %s, even with allowGitHubPaths",
    (path) => {
      expect(
        () => new MemberGuide(newStack(), "guide", { organization, repository: "payments-service", path, allowGitHubPaths: true }),
      ).toThrow(new RegExp(`^MemberGuide: path "${path.replace(/\./g, "\\.")}" is a (workflow|CODEOWNERS) file`));
    },
  );

  test.each([".github//workflows/tokens.yml", ".github/./workflows/tokens.yml", "docs/../.github/workflows/tokens.yml"])(
    "fails when the path is %s, a workflow reached through an empty, . or .. segment",
    (path) => {
      expect(
        () => new MemberGuide(newStack(), "guide", { organization, repository: "payments-service", path, allowGitHubPaths: true }),
      ).toThrow("without empty, . or .. segments");
    },
  );

  test("fails for another path under .github/ unless allowGitHubPaths is set", () => {
    expect(() => new MemberGuide(newStack(), "guide", { organization, repository: "r", path: ".github/TOKENS.md" })).toThrow(
      'MemberGuide: path ".github/TOKENS.md" is under .github/, which GitHub reads as configuration (set guide.allowGitHubPaths: true to mean it) (acme-corp/guide)',
    );
    expect(
      () => new MemberGuide(newStack(), "guide", { organization, repository: "r", path: ".github/TOKENS.md", allowGitHubPaths: true }),
    ).not.toThrow();
  });
});
