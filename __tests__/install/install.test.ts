import { installApp, waitText, type InstallProgress } from "../../lib/install/install";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { generateAppKey } from "../../test-support/fixtures";
import { orgEntry, parseOrg } from "../../test-support/config";

describe("installApp: the engine behind install", () => {
  let standIn: GitHubStandIn;
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });

  test("reports the wait as events, opens the page through the injected browser, and returns the installation", async () => {
    // GIVEN an App registered on GitHub but not installed, and an owner who installs it on the second poll
    standIn = await GitHubStandIn.start();
    standIn.addOrg("acme-corp");
    const key = generateAppKey();
    const id = standIn.id();
    standIn.addApp({
      id,
      slug: "acme-token-broker",
      clientId: `Iv23li${id}`,
      name: "acme-token-broker",
      publicKeyPem: key.publicPem,
      permissions: { contents: "read" },
      events: [],
      ownerLogin: "acme-corp",
    });
    let polls = 0;
    let installationId = 0;
    standIn.beforeHandle = (op) => {
      if (op === "GET /orgs/{org}/installation" && ++polls === 2) installationId = standIn.installAppOn("acme-corp", id);
    };
    const org = parseOrg(
      orgEntry({ app: { name: "acme-token-broker", homepageUrl: "https://github.com/acme-corp", permissions: { contents: "read" } } }),
    );
    const progress: InstallProgress[] = [];
    const opened: string[] = [];
    let written = "";
    // WHEN the engine runs with the App's own authentication
    const result = await installApp({
      org,
      context: {
        env: { GITHUB_API_URL: standIn.url, APP_ID: String(id), APP_PRIVATE_KEY: key.pem },
        stderr: { write: (s: string) => (written += s) },
      },
      configFile: "token-policy.yaml",
      openBrowser: async (url) => void opened.push(url),
      timeoutMs: 60_000,
      pollIntervalMs: 5,
      onProgress: (p) => progress.push(p),
    });
    // THEN it returns the installation, said it was waiting once, and printed nothing itself
    const url = `https://github.com/apps/acme-token-broker/installations/new`;
    expect(result).toEqual({ installationId, repositorySelection: "all" });
    expect(progress).toEqual([{ kind: "waiting", slug: "acme-token-broker", login: "acme-corp", url, timeoutMs: 60_000 }]);
    expect(opened).toEqual([url]);
    expect(written).toBe("");
    expect(standIn.callsOf("GET /app")).toHaveLength(1);
  });

  test("waitText: minutes from one minute on, else seconds", () => {
    expect([waitText(300), waitText(59_000), waitText(60_000), waitText(30 * 60_000)]).toEqual(["0 s", "59 s", "1 min", "30 min"]);
  });
});
