import { stringify } from "yaml";
import { configProblems, orgEntry, parseOrg } from "../../../test-support/config";
import { parseConfigOrThrow } from "../../../lib/config/load";

describe("memberPage", () => {
  test("is off unless the config names it; named, it is on at its URL", () => {
    expect(parseOrg().memberPage).toBeUndefined();
    expect(parseOrg(orgEntry({ memberPage: { url: "https://tokens.example.com" } })).memberPage).toEqual({
      enabled: true,
      url: "https://tokens.example.com",
    });
  });

  test("fails when it is on without a URL, saying what the URL is", () => {
    expect(configProblems(stringify({ organizations: [orgEntry({ memberPage: { enabled: true } })] }))).toEqual([
      expect.stringMatching(
        /^policy\.yaml:\d+:\d+ organizations\[0\]\.memberPage\.url: is required when the member page is enabled: the address members' browsers reach serve at/,
      ),
    ]);
  });

  test.each([
    ["http on a public host", "http://tokens.example.com", "must use https://"],
    ["a path", "https://tokens.example.com/tokens", "must be the server's root, without a path"],
    ["user info", "https://user@tokens.example.com", "must not contain user info"],
    ["a query", "https://tokens.example.com/?x=1", "must not have a query or fragment"],
    ["a parenthesis in its host", "https://tokens).example.com", "must name its host with letters, digits, dots and hyphens"],
    ["no URL at all", "tokens.example.com", "must be a URL"],
  ])("fails when the URL has %s", (_what, url, message) => {
    expect(configProblems(stringify({ organizations: [orgEntry({ memberPage: { url } })] }))).toEqual([
      expect.stringContaining(`organizations[0].memberPage.url: ${message}`),
    ]);
  });

  test("allows http:// on this machine only, for a trial", () => {
    for (const url of ["http://127.0.0.1:3000", "http://localhost:8080", "http://[::1]:3000"])
      expect(parseOrg(orgEntry({ memberPage: { url } })).memberPage?.url).toBe(url);
  });

  test("merges from defaults, and one organization can turn it off", () => {
    // GIVEN the page in defaults and one organization that turns it off
    const config = parseConfigOrThrow(
      stringify({
        defaults: { memberPage: { url: "https://tokens.example.com" } },
        organizations: [orgEntry(), orgEntry({ login: "beta-corp", memberPage: { enabled: false } })],
      }),
      "policy.yaml",
    );
    // THEN the first has it on at the shared URL, the second off
    expect(config.organizations.map((o) => o.memberPage)).toEqual([
      { enabled: true, url: "https://tokens.example.com" },
      { enabled: false, url: "https://tokens.example.com" },
    ]);
  });
});
