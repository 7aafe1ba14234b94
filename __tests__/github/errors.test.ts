import { apiUrlVariable, describeGitHubError } from "../../lib/github/errors";

/** A failed call as Octokit reports it. */
function failed(method: string, url: string, status: number, message: string) {
  return { status, message, request: { method, url }, response: { data: { message } } };
}

/** A call that got no answer. */
function unanswered(method: string, url: string, code: string) {
  return { status: 500, message: "fetch failed", request: { method, url }, cause: { code } };
}

describe("describeGitHubError: the likely cause with the fix", () => {
  test("a 403 for a personal access token says only an App can make the call, and which credentials to use", () => {
    const e = failed(
      "GET",
      "https://api.github.com/orgs/acme-corp/personal-access-token-requests",
      403,
      "Resource not accessible by personal access token",
    );
    expect(describeGitHubError(e)).toBe(
      "listing pending token requests of acme-corp: GitHub answered 403 to GET /orgs/acme-corp/personal-access-token-requests: Resource not accessible by personal access token. a personal access token cannot make this call (GitHub lets only Apps manage token requests, grants and installations): use the App's credentials, APP_ID with APP_PRIVATE_KEY or --credentials FILE, or its installation token in GITHUB_TOKEN",
    );
  });

  test("an enterprise installation refused with 404 names the enterprise, the organization and the installer App", () => {
    const e = failed("POST", "https://api.github.com/enterprises/acme-ent/apps/organizations/acme-corp/installations", 404, "Not Found");
    expect(describeGitHubError(e)).toBe(
      "installing the App on acme-corp through the enterprise acme-ent: GitHub answered 404 to POST /enterprises/acme-ent/apps/organizations/acme-corp/installations: Not Found. the enterprise acme-ent does not exist under that slug, acme-corp does not belong to it, or the credentials are not the enterprise's installer App (an App installed on acme-ent with enterprise_organization_installations: write; set GITHUB_TOKEN or APP_ID and APP_PRIVATE_KEY to it): check --enterprise and the credentials. An organization outside an enterprise is installed with token-policy install --org acme-corp (no --enterprise)",
    );
  });

  test("an unreachable API names the variable that set it", () => {
    const e = unanswered("GET", "http://127.0.0.1:59999/orgs/acme-corp/installation", "ECONNREFUSED");
    expect(describeGitHubError(e, { apiUrlVariable: "TOKEN_POLICY_API_URL" })).toMatch(
      /cannot reach 127\.0\.0\.1:59999: check TOKEN_POLICY_API_URL, or the organization's githubUrl$/,
    );
    expect(describeGitHubError(e, { apiUrlVariable: "GITHUB_API_URL" })).toMatch(/check GITHUB_API_URL, or/);
    // with neither known, both are named rather than a guess
    expect(describeGitHubError(e)).toMatch(/check TOKEN_POLICY_API_URL or GITHUB_API_URL, or/);
  });

  test("apiUrlVariable: TOKEN_POLICY_API_URL wins over GITHUB_API_URL", () => {
    expect(apiUrlVariable({ TOKEN_POLICY_API_URL: "https://x", GITHUB_API_URL: "https://y" })).toBe("TOKEN_POLICY_API_URL");
    expect(apiUrlVariable({ GITHUB_API_URL: "https://y" })).toBe("GITHUB_API_URL");
    expect(apiUrlVariable({})).toBeUndefined();
  });
});
