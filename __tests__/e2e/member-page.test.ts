/**
 * The member page as `serve` serves it: the real `serve` command, its config switch and its
 * environment, a real Chromium, and GitHub's OAuth web flow on the OpenAPI-checked stand-in.
 */
import { randomBytes } from "node:crypto";
import type { BrowserContext } from "playwright-core";
import { serve } from "../../cli/commands/serve";
import type { LogLine } from "../../lib/serve/webhook-server";
import { chromiumForTests } from "../../test-support/browser";
import { freePort, memberPageOrganization, writePolicyFile, type InstalledApp } from "../../test-support/fixtures";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { captureIO } from "../../test-support/io";

const WEBHOOK_SECRET = randomBytes(20).toString("hex");

describe("the member page in serve", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  let clientSecret: string;
  const stops: (() => Promise<void>)[] = [];
  const browser = chromiumForTests();

  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    clientSecret = randomBytes(20).toString("hex");
    app = memberPageOrganization(standIn, clientSecret);
  });
  afterEach(async () => {
    while (stops.length) await stops.pop()!();
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });

  /** Starts `serve` with `memberPage` as given (by default on, at its own address); returns its URL and log. */
  async function startServe(memberPage?: (url: string) => Record<string, unknown> | undefined, env: NodeJS.ProcessEnv = {}) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const page = memberPage ? memberPage(base) : { url: base };
    const config = writePolicyFile(page ? { memberPage: page } : {});
    const logs: LogLine[] = [];
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const io = captureIO({
      GITHUB_API_URL: standIn.url,
      APP_ID: String(app.appId),
      APP_PRIVATE_KEY: app.pem,
      WEBHOOK_SECRET,
      ACME_CORP_APP_CLIENT_SECRET: clientSecret,
      ...env,
    });
    let listening!: () => void;
    const listened = new Promise<void>((resolve) => (listening = resolve));
    const done = serve({ config, port, sweepMinutes: 0 }, io, {
      log: (l) => logs.push(l),
      stopSignal,
      shutdownGraceMs: 100,
      githubWebUrl: standIn.url,
      onListening: () => listening(),
    });
    await Promise.race([listened, done]);
    stops.push(async () => (stop(), await done));
    return { base, page: `${base}/member/acme-corp`, logs, io };
  }

  async function withContext<T>(run: (context: BrowserContext) => Promise<T>): Promise<T> {
    const context = await browser().newContext();
    try {
      return await run(context);
    } finally {
      await context.close();
    }
  }

  test("a member signs in with one click and sees only their own answer, whatever the URL or form names", async () => {
    // GIVEN serve with the member page on, and mona signed in to GitHub in her browser
    const s = await startServe();
    standIn.oauth.signedIn = "mona";
    await withContext(async (context) => {
      const page = await context.newPage();
      // WHEN she opens her organization's page and clicks "Sign in with GitHub"
      await page.goto(s.page);
      await page.click("text=Sign in with GitHub");
      await page.waitForURL(s.page);
      // THEN she sees her answer and her token, never another member's
      const text = await page.textContent("pre");
      expect(text).toContain("mona can pick acme-corp");
      expect(text).toContain("monas-laptop");
      expect(text).not.toContain("others-secret-project");
      // AND the session cookie is scoped to the page, HttpOnly and SameSite=Lax
      expect((await context.cookies()).find((c) => c.name === "tp_member")).toMatchObject({
        httpOnly: true,
        sameSite: "Lax",
        path: "/member/acme-corp",
      });
      // AND on a 320 px wide screen nothing scrolls sideways: long lines wrap
      await page.setViewportSize({ width: 320, height: 640 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
      // AND serve logged the sign-in
      expect(s.logs).toContainEqual({ event: "member-sign-in", org: "acme-corp", login: "mona" });
      // WHEN she names another member in the URL, in a cookie of her own making, or in a form
      await page.goto(`${s.page}?login=other&user=other`);
      expect(await page.textContent("pre")).toContain("mona can pick acme-corp");
      await context.addCookies([{ name: "login", value: "other", url: s.page }]);
      await page.reload();
      expect(await page.textContent("pre")).toContain("mona can pick acme-corp");
      const session = (await context.cookies()).find((c) => c.name === "tp_member")!;
      const viaForm = await fetch(s.page, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: `tp_member=${session.value}` },
        body: "login=other",
      });
      // THEN she still sees her own answer only, and a form sent to the page is not taken
      expect(await page.textContent("pre")).not.toContain("others-secret-project");
      expect(viaForm.status).toBe(404);
      expect(await viaForm.text()).not.toContain("others-secret-project");
      // AND the user token GitHub issued is nowhere on the page
      for (const token of standIn.oauth.userTokens.keys()) expect(await page.content()).not.toContain(token);
    });
  });

  test("fails when the session cookie is forged or altered: signed out, nobody's answer", async () => {
    // GIVEN mona's session, made through the real sign-in
    const s = await startServe();
    standIn.oauth.signedIn = "mona";
    await withContext(async (context) => {
      const page = await context.newPage();
      await page.goto(`${s.page}/login`);
      await page.waitForURL(s.page);
      const session = (await context.cookies()).find((c) => c.name === "tp_member")!;
      const [payload, mac] = session.value.split(".");
      const forged = Buffer.from(Buffer.from(payload, "base64url").toString().replace("mona", "other")).toString("base64url");
      for (const value of [`${forged}.${mac}`, `${payload}.${mac.slice(0, -2)}xx`, forged, `${payload}.`]) {
        // WHEN the cookie is rewritten to name other, or its signature is changed or dropped
        await context.addCookies([{ ...session, value }]);
        await page.goto(s.page);
        // THEN the page asks to sign in and shows no answer
        const body = await page.textContent("body");
        expect(body).toContain("Sign in with GitHub");
        expect(body).not.toContain("others-secret-project");
        expect(body).not.toContain("monas-laptop");
      }
    });
  });

  test("fails when a callback is replayed: the state is good once, and GitHub is not asked again", async () => {
    // GIVEN mona signed in, and the callback URL and state cookie of that sign-in kept
    const s = await startServe();
    standIn.oauth.signedIn = "mona";
    await withContext(async (context) => {
      const page = await context.newPage();
      let callback = "";
      let stateCookie = "";
      page.on("request", (r) => {
        if (r.url().startsWith(`${s.page}/callback`)) callback = r.url();
      });
      page.on("response", async (r) => {
        if (r.url() === `${s.page}/login`) stateCookie = ((await r.headerValue("set-cookie")) ?? "").split(";")[0];
      });
      await page.goto(`${s.page}/login`);
      await page.waitForURL(s.page);
      expect(stateCookie).toMatch(/^tp_member_state=./);
      const [name, value] = [stateCookie.slice(0, stateCookie.indexOf("=")), stateCookie.slice(stateCookie.indexOf("=") + 1)];
      const tokensIssued = standIn.oauth.userTokens.size;
      // WHEN the same callback is opened again with the same state cookie, in a fresh browser
      await withContext(async (replay) => {
        await replay.addCookies([{ name, value, url: s.page }]);
        const again = await (await replay.newPage()).goto(callback);
        // THEN it is refused before GitHub is asked: no session, no new user token
        expect(again!.status()).toBe(400);
        expect(await again!.text()).toContain("The sign-in could not be checked");
        expect((await replay.cookies()).some((c) => c.name === "tp_member")).toBe(false);
      });
      expect(standIn.oauth.userTokens.size).toBe(tokensIssued);
    });
  });

  test("fails when another browser's callback is opened: no session, no answer", async () => {
    // GIVEN a callback URL made for the attacker's own sign-in
    const s = await startServe();
    standIn.oauth.signedIn = "other";
    const start = await fetch(`${s.page}/login`, { redirect: "manual" });
    const callback = (await fetch(start.headers.get("location")!, { redirect: "manual" })).headers.get("location")!;
    await withContext(async (context) => {
      // WHEN mona's browser is made to open it
      const page = await context.newPage();
      const r = await page.goto(callback);
      // THEN the sign-in is refused and she is not signed in as anyone
      expect(r!.status()).toBe(400);
      expect((await context.cookies()).some((c) => c.name === "tp_member")).toBe(false);
      await page.goto(s.page);
      expect(await page.textContent("body")).toContain("Sign in with GitHub");
    });
  });

  test("fails when sign-ins come too fast from one address: 429 with Retry-After, in the browser too", async () => {
    // GIVEN serve with the member page on
    const s = await startServe();
    standIn.oauth.signedIn = "mona";
    // WHEN one address starts ten sign-ins
    const started = [];
    for (let i = 0; i < 10; i++) started.push((await fetch(`${s.page}/login`, { redirect: "manual" })).status);
    // THEN each goes to GitHub
    expect(started).toEqual(Array(10).fill(302));
    // WHEN it starts one more
    const refused = await fetch(`${s.page}/login`, { redirect: "manual" });
    // THEN it is told to wait, and no state cookie is made
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.getSetCookie()).toEqual([]);
    // AND a browser from that address sees why
    await withContext(async (context) => {
      const page = await context.newPage();
      const r = await page.goto(`${s.page}/login`);
      expect(r!.status()).toBe(429);
      expect(await page.textContent("body")).toContain("Too many sign-ins just now");
    });
  });

  test("the page is off when the config does not turn it on, or turns it off: 404", async () => {
    for (const memberPage of [() => undefined, (url: string) => ({ enabled: false, url })]) {
      // GIVEN serve whose config has no member page, or one turned off
      const s = await startServe(memberPage);
      // WHEN a browser asks for the page, its sign-in and its callback
      for (const path of ["", "/login", "/callback?code=x&state=y"]) {
        const r = await fetch(`${s.page}${path}`, { redirect: "manual" });
        // THEN there is none
        expect(r.status).toBe(404);
        expect(r.headers.getSetCookie()).toEqual([]);
      }
      await stops.pop()!();
    }
    // AND with it on, another organization's page is not there either
    const on = await startServe();
    expect((await fetch(`${on.base}/member/beta-corp`)).status).toBe(404);
    expect((await fetch(`${on.base}/member/acme-corp`)).status).toBe(200);
  });

  test("fails to start when the page is on but the App's client secret is not set, naming the variable and no value", async () => {
    // GIVEN the member page on, and no client secret in the environment
    const port = await freePort();
    const config = writePolicyFile({ memberPage: { url: `http://127.0.0.1:${port}` } });
    const io = captureIO({ GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem, WEBHOOK_SECRET });
    let listening = false;
    // WHEN serve starts
    const err = await serve({ config, port, sweepMinutes: 0 }, io, { log: () => undefined, onListening: () => (listening = true) }).catch(
      (e: Error) => e,
    );
    // THEN it stops with exit 2 before listening, saying which variable to set
    expect(listening).toBe(false);
    expect(err).toMatchObject({ exitCode: 2, message: expect.stringContaining("acme-corp: set ACME_CORP_APP_CLIENT_SECRET") });
    expect((err as Error).message).not.toContain(WEBHOOK_SECRET);
  });
});
