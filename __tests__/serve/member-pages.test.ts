/**
 * The member pages as `serve` mounts them, without a browser (the browser runs are in
 * `__tests__/e2e/member-page.test.ts`): where each page is, which App it signs in through, and
 * that the webhook is the same.
 */
import { randomBytes } from "node:crypto";
import { stringify } from "yaml";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { serve } from "../../cli/commands/serve";
import { freePort, installApp, standInForEachTest } from "../../test-support/fixtures";
import { captureIO } from "../../test-support/io";
import { tempDir } from "../../test-support/temp";

const WEBHOOK_SECRET = randomBytes(20).toString("hex");

describe("serve's member pages", () => {
  const standIn = standInForEachTest();

  test("each organization's page signs in through its own App, and only where the config turns it on", async () => {
    // GIVEN two organizations with their own Apps, the page on for acme-corp only
    const acme = installApp(standIn(), "acme-corp");
    const beta = installApp(standIn(), "beta-corp");
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const org = (login: string, extra: Record<string, unknown>) => ({
      login,
      app: { name: login === "acme-corp" ? "acme-token-broker" : `${login}-token-broker`, homepageUrl: `https://github.com/${login}` },
      credentials: { actions: { visibility: "all" } },
      ...extra,
    });
    const config = join(tempDir("member-pages-"), "token-policy.yaml");
    writeFileSync(
      config,
      stringify({
        defaults: { memberPage: { url: base } },
        organizations: [org("acme-corp", {}), org("beta-corp", { memberPage: { enabled: false } })],
      }),
    );
    const io = captureIO({
      GITHUB_API_URL: standIn().url,
      ACME_CORP_APP_ID: String(acme.appId),
      ACME_CORP_APP_PRIVATE_KEY: acme.pem,
      BETA_CORP_APP_ID: String(beta.appId),
      BETA_CORP_APP_PRIVATE_KEY: beta.pem,
      ACME_CORP_APP_CLIENT_SECRET: randomBytes(20).toString("hex"),
      WEBHOOK_SECRET,
    });
    let stop!: () => void;
    let listening!: () => void;
    const listened = new Promise<void>((resolve) => (listening = resolve));
    const done = serve({ config, port, sweepMinutes: 0 }, io, {
      log: () => undefined,
      stopSignal: new Promise<void>((resolve) => (stop = resolve)),
      shutdownGraceMs: 100,
      githubWebUrl: standIn().url,
      onListening: () => listening(),
    });
    try {
      await Promise.race([listened, done]);
      // WHEN a browser opens acme-corp's page and starts signing in
      const page = await fetch(`${base}/member/acme-corp`);
      const login = await fetch(`${base}/member/acme-corp/login`, { redirect: "manual" });
      // THEN the page asks to sign in, and the sign-in goes to GitHub with acme-corp's App, as GitHub names it
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Sign in with GitHub");
      const target = new URL(login.headers.get("location")!);
      expect(`${target.origin}${target.pathname}`).toBe(`${standIn().url}/login/oauth/authorize`);
      expect(target.searchParams.get("client_id")).toBe(standIn().apps.get(acme.appId)!.clientId);
      expect(target.searchParams.get("redirect_uri")).toBe(`${base}/member/acme-corp/callback`);
      // AND beta-corp, whose page is off, has none, nor has a path no page serves
      for (const path of ["/member/beta-corp", "/member/beta-corp/login", "/member/acme-corp/other", "/member/"])
        expect((await fetch(`${base}${path}`, { redirect: "manual" })).status).toBe(404);
      // AND the webhook still refuses what it refused before
      expect((await fetch(`${base}/webhook`, { method: "POST" })).status).toBe(401);
    } finally {
      stop();
      await done;
    }
  });
});
