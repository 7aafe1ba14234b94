/**
 * `npm run bench:revoke`: API calls of one `member` run and of `revoke` over 10,000 granted
 * tokens, against the OpenAPI-checked stand-in, beside the floor of each (the fewest calls that
 * read what the answer needs and write what it must): for `member`, one membership call, one
 * SSO read, one filtered page of requests and of grants, one listing per team the rules name;
 * for `revoke`, the pages of the listing GitHub filters (or of every grant when no filter can be
 * applied by GitHub) plus one revoke call per 100 tokens. Prints calls, floor and wall time.
 */
import { member } from "../cli/commands/member";
import { revoke } from "../cli/commands/revoke";
import { GitHubStandIn } from "../test-support/github-stand-in/server";
import { addGrant, addRequest, installApp, writePolicyFile } from "../test-support/fixtures";
import { captureIO } from "../test-support/io";

const GRANTS = 10_000;

async function scenario(
  name: string,
  floor: number,
  seed: (standIn: GitHubStandIn, app: ReturnType<typeof installApp>) => void,
  act: (io: ReturnType<typeof captureIO>, config: string) => Promise<unknown>,
): Promise<string[]> {
  const standIn = await GitHubStandIn.start({ spec: "ghec" });
  try {
    const app = installApp(standIn);
    app.org.installation!.permissions.members = "read";
    app.org.installation!.permissions.organization_administration = "read";
    app.org.credentialAuthorizations = [];
    standIn.addTeam("acme-corp", "platform", ["plat-dev"]);
    seed(standIn, app);
    const config = writePolicyFile({
      app: {
        name: "acme-token-broker",
        homepageUrl: "https://github.com/acme-corp",
        permissions: { organization_personal_access_token_requests: "write", members: "read" },
      },
      approval: {
        rules: [
          { name: "read", action: "approve", reason: "Read.", match: { permissions: { repository: { contents: "read" } } } },
          { name: "platform", action: "approve", reason: "Platform.", match: { teams: ["platform"] } },
        ],
        otherwise: "leave",
        revokeUnusedAfterDays: 90,
      },
    });
    const io = captureIO({ GITHUB_API_URL: standIn.url, GITHUB_TOKEN: app.token });
    const start = performance.now();
    await act(io, config);
    const ms = performance.now() - start;
    if (standIn.violations.length || standIn.rejections.length)
      throw new Error(`${name}: the stand-in saw ${JSON.stringify([...standIn.violations, ...standIn.rejections])}`);
    return [name, String(GRANTS), String(standIn.calls.length), String(floor), `${Math.round(ms)} ms`];
  } finally {
    await standIn.close();
  }
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  const others = (standIn: GitHubStandIn, app: ReturnType<typeof installApp>, n: number) => {
    for (let i = 0; i < n; i++)
      addGrant(standIn, app.org, {
        owner: `user${i % 2_000}`,
        tokenName: i % 10 === 0 ? "deploy-bot" : "laptop",
        lastUsedDaysAgo: i % 200,
      });
  };
  rows.push(
    await scenario(
      "member mona (3 grants, 2 requests)",
      5,
      (standIn, app) => {
        standIn.addMember("acme-corp", "mona");
        others(standIn, app, GRANTS - 3);
        for (let i = 0; i < 3; i++) addGrant(standIn, app.org, { owner: "mona", lastUsedDaysAgo: i * 50 });
        addRequest(standIn, app.org, { owner: "mona" });
        addRequest(standIn, app.org, { owner: "mona", permissions: { repository: { contents: "write" } } });
      },
      (io, config) => member({ login: "mona", org: "acme-corp", config }, io),
    ),
  );
  rows.push(
    await scenario(
      "revoke --owner leaver --apply (200 of theirs)",
      2 + 2,
      (standIn, app) => {
        others(standIn, app, GRANTS - 200);
        for (let i = 0; i < 200; i++) addGrant(standIn, app.org, { owner: "leaver" });
      },
      (io, config) => revoke({ org: "acme-corp", config, owner: ["leaver"], apply: true }, io),
    ),
  );
  rows.push(
    await scenario(
      "revoke --name-contains deploy --apply (1,000 match)",
      GRANTS / 100 + 1_000 / 100,
      (standIn, app) => others(standIn, app, GRANTS),
      (io, config) => revoke({ org: "acme-corp", config, nameContains: "deploy", apply: true }, io),
    ),
  );
  rows.push(
    await scenario(
      "revoke --last-used-before (dry run)",
      GRANTS / 100,
      (standIn, app) => others(standIn, app, GRANTS),
      (io, config) => revoke({ org: "acme-corp", config, lastUsedBefore: new Date(Date.now() - 100 * 86_400_000).toISOString() }, io),
    ),
  );
  const header = ["SCENARIO", "GRANTS", "CALLS", "FLOOR", "WALL"];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i].length)));
  for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join("  "));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
