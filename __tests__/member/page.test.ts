import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { renderMemberText } from "../../cli/render/member";
import { loadConfig } from "../../lib/config/load";
import { createGitHubClient } from "../../lib/github/client";
import { answerMember } from "../../lib/member/member";
import { githubSignIn, memberPage } from "../../lib/member/page";
import { RateLimit } from "../../lib/member/rate-limit";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { chromiumForTests } from "../../test-support/browser";
import { memberPageOrganization, writePolicyFile, type InstalledApp } from "../../test-support/fixtures";

const get = (url: string, cookie?: string) => fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {} });
const cookieOf = (r: Response, name: string) =>
  r.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))!
    .split(";")[0];

describe("the member page", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  let server: Server;
  let base: string;
  const clientId = () => `Iv23li${app.appId}`;

  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    app = memberPageOrganization(standIn, "the-client-secret");
    const org = loadConfig(writePolicyFile()).config.organizations[0];
    const client = await createGitHubClient({ apiUrl: standIn.url, auth: { kind: "token", token: app.token } });
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const handle = memberPage({
      publicUrl: base,
      githubUrl: standIn.url,
      clientId: clientId(),
      signIn: githubSignIn({ githubUrl: standIn.url, apiUrl: standIn.url, clientId: clientId(), clientSecret: "the-client-secret" }),
      answer: (login) => answerMember({ client, org, login }),
      render: renderMemberText,
    });
    server.on("request", (req, res) => {
      void handle(req, res).then((handled) => {
        if (!handled) {
          res.writeHead(404);
          res.end();
        }
      });
    });
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });

  /** Signs `who` in through GitHub's web flow; returns the session cookie and the responses. */
  async function signIn(who: string) {
    standIn.oauth.signedIn = who;
    const login = await get(`${base}/member/login`);
    const state = cookieOf(login, "tp_member_state");
    const authorize = await get(login.headers.get("location")!);
    const callback = await get(authorize.headers.get("location")!, state);
    return { login, authorize, callback, session: cookieOf(callback, "tp_member") };
  }

  test("a member signs in through the App's OAuth web flow and sees their own answer", async () => {
    // GIVEN mona signed in to GitHub
    // WHEN she goes through the sign-in
    const { login, callback, session } = await signIn("mona");
    // THEN the page sent her to GitHub with the App's client id, the callback and a state in a cookie
    const target = new URL(login.headers.get("location")!);
    expect(target.pathname).toBe("/login/oauth/authorize");
    expect(target.searchParams.get("client_id")).toBe(clientId());
    expect(target.searchParams.get("redirect_uri")).toBe(`${base}/member/callback`);
    expect(login.headers.getSetCookie()[0]).toMatch(/^tp_member_state=[^;]+; Path=\/member; Max-Age=600; HttpOnly; SameSite=Lax$/);
    // AND the callback set a short-lived session cookie (no Secure on loopback) and sent her to her page
    expect(callback.headers.get("location")).toBe("/member");
    expect(callback.headers.getSetCookie().find((c) => c.startsWith("tp_member="))).toMatch(/Max-Age=900; HttpOnly; SameSite=Lax$/);
    const page = await get(`${base}/member`, session);
    const html = await page.text();
    expect(html).toContain("mona can pick acme-corp");
    expect(html).toContain("monas-laptop");
    expect(html).not.toContain("others-secret-project");
    expect(page.headers.get("cache-control")).toBe("no-store");
    // AND the user token GitHub issued appears nowhere on the page or in the cookie
    for (const token of standIn.oauth.userTokens.keys()) {
      expect(html).not.toContain(token);
      expect(session).not.toContain(token);
    }
  });

  test("only yourself: no request can show another member's answer", async () => {
    // GIVEN mona's session
    const { session } = await signIn("mona");
    // WHEN she asks for other's answer in every way a request can
    const tries = [await get(`${base}/member?login=other`, session), await get(`${base}/member?user=other`, `${session}; login=other`)];
    // THEN she sees her own, never other's
    for (const r of tries) {
      const html = await r.text();
      expect(html).toContain("mona can pick");
      expect(html).not.toContain("others-secret-project");
    }
    // AND a session cookie rewritten to say other is refused: signed out
    const [name, value] = session.split("=");
    const [payload, mac] = value.split(".");
    const forged = Buffer.from(Buffer.from(payload, "base64url").toString().replace("mona", "other")).toString("base64url");
    const html = await (await get(`${base}/member`, `${name}=${forged}.${mac}`)).text();
    expect(html).toContain("Sign in with GitHub");
    expect(html).not.toContain("others-secret-project");
  });

  test("fails when the callback's state is not the one this browser started with", async () => {
    // GIVEN an attacker's own sign-in code and state, and mona's browser with a state of its own
    standIn.oauth.signedIn = "other";
    const attackerStart = await get(`${base}/member/login`);
    const attackerCallback = (await get(attackerStart.headers.get("location")!)).headers.get("location")!;
    const monaState = cookieOf(await get(`${base}/member/login`), "tp_member_state");
    // WHEN mona's browser is sent to the attacker's callback (login CSRF)
    const r = await get(attackerCallback, monaState);
    // THEN no session is made
    expect(r.status).toBe(400);
    expect(r.headers.getSetCookie().some((c) => c.startsWith("tp_member="))).toBe(false);
    expect(await r.text()).toContain("The sign-in could not be checked");
  });

  test("fails when the callback comes with no state cookie at all", async () => {
    standIn.oauth.signedIn = "mona";
    const start = await get(`${base}/member/login`);
    const r = await get((await get(start.headers.get("location")!)).headers.get("location")!);
    expect(r.status).toBe(400);
  });

  describe("in a real browser", () => {
    const browser = chromiumForTests();

    test("a member signs in with one click and sees only their own answer; the cookies cannot be read by scripts", async () => {
      // GIVEN mona signed in to GitHub in her browser
      standIn.oauth.signedIn = "mona";
      const context = await browser().newContext();
      try {
        const page = await context.newPage();
        // WHEN she opens the page and clicks "Sign in with GitHub"
        await page.goto(`${base}/member`);
        await page.click("text=Sign in with GitHub");
        await page.waitForURL(`${base}/member`);
        // THEN she sees her answer and her token, never another member's
        const text = await page.textContent("pre");
        expect(text).toContain("mona can pick acme-corp");
        expect(text).toContain("monas-laptop");
        expect(text).not.toContain("others-secret-project");
        // AND the session cookie is HttpOnly and SameSite=Lax, invisible to the page's scripts
        const session = (await context.cookies()).find((c) => c.name === "tp_member")!;
        expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/member" });
        expect(await page.evaluate(() => document.cookie)).toBe("");
        // AND asking for another member by URL still shows her own
        await page.goto(`${base}/member?login=other`);
        expect(await page.textContent("pre")).toContain("mona can pick acme-corp");
      } finally {
        await context.close();
      }
    });

    test("fails when another browser's callback is replayed: no session, no answer", async () => {
      // GIVEN a callback URL made for the attacker's own sign-in
      standIn.oauth.signedIn = "other";
      const start = await get(`${base}/member/login`);
      const callback = (await get(start.headers.get("location")!)).headers.get("location")!;
      // WHEN mona's browser is made to open it
      const context = await browser().newContext();
      try {
        const page = await context.newPage();
        const r = await page.goto(callback);
        // THEN the sign-in is refused and no session cookie is set
        expect(r!.status()).toBe(400);
        expect((await context.cookies()).some((c) => c.name === "tp_member")).toBe(false);
        await page.goto(`${base}/member`);
        expect(await page.textContent("body")).toContain("Sign in with GitHub");
      } finally {
        await context.close();
      }
    });
  });

  test("cookies are Secure when the page is served on a public https URL, and scoped to the organization's page", async () => {
    const page = memberPage({
      publicUrl: "https://tokens.example.com",
      path: "/member/acme-corp",
      clientId: "Iv23liX",
      signIn: async () => "mona",
      answer: async () => {
        throw new Error("not reached");
      },
      render: () => "",
    });
    const headers: Record<string, unknown> = {};
    const res = {
      writeHead: (_s: number, h: Record<string, unknown>) => Object.assign(headers, h),
      end: () => undefined,
    };
    expect(await page({ method: "GET", url: "/member/login", headers: {} } as never, res as never)).toBe(false);
    await page({ method: "GET", url: "/member/acme-corp/login", headers: {} } as never, res as never);
    expect(String(headers["set-cookie"])).toMatch(/; Path=\/member\/acme-corp; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/);
    expect(String(headers.location)).toMatch(
      /^https:\/\/github\.com\/login\/oauth\/authorize\?client_id=Iv23liX&redirect_uri=https%3A%2F%2Ftokens\.example\.com%2Fmember%2Facme-corp%2Fcallback&state=/,
    );
  });
});

describe("the member page's limits", () => {
  let server: Server;
  let base: string;
  let t: number;
  let answered: string[];

  beforeEach(async () => {
    t = 1_000_000;
    answered = [];
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const now = () => t;
    const handle = memberPage({
      publicUrl: base,
      githubUrl: "https://github.example",
      clientId: "Iv23liTest",
      signIn: async (code) => (code === "good" ? "mona" : Promise.reject(new Error("bad code"))),
      answer: async (login) => (answered.push(login), {}) as never,
      render: () => "the answer",
      now,
      answers: new RateLimit({ perPeer: { burst: 2, perMinute: 1 }, global: { burst: 100, perMinute: 100 }, now }),
    });
    server.on("request", (req, res) => void handle(req, res));
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const callbackOf = async () => {
    const login = await get(`${base}/member/login`);
    const state = new URL(login.headers.get("location")!).searchParams.get("state")!;
    return { url: `${base}/member/callback?code=good&state=${state}`, cookie: cookieOf(login, "tp_member_state") };
  };

  test("fails when the sign-in comes back after its ten minutes, even with its own state cookie", async () => {
    // GIVEN a sign-in started now
    const { url, cookie } = await callbackOf();
    // WHEN GitHub's redirect comes back ten minutes and a second later
    t += 10 * 60_000 + 1000;
    const r = await get(url, cookie);
    // THEN it is refused, and no session is made
    expect(r.status).toBe(400);
    expect(r.headers.getSetCookie().some((c) => c.startsWith("tp_member="))).toBe(false);
  });

  test("fails when the same callback comes twice: the state is good once", async () => {
    const { url, cookie } = await callbackOf();
    const first = await get(url, cookie);
    expect(first.status).toBe(302);
    const second = await get(url, cookie);
    expect(second.status).toBe(400);
    expect(second.headers.getSetCookie().some((c) => c.startsWith("tp_member="))).toBe(false);
  });

  test("fails when a signed-in member reads the answer faster than the limit: 429, and GitHub is not asked", async () => {
    // GIVEN mona signed in, with room for two answers at once
    const { url, cookie } = await callbackOf();
    const session = cookieOf(await get(url, cookie), "tp_member");
    // WHEN she loads the page three times at once
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(`${base}/member`, session)).status);
    // THEN the third is told to wait, and only two answers were read
    expect(statuses).toEqual([200, 200, 429]);
    expect(answered).toEqual(["mona", "mona"]);
    // AND a minute later she may read it again
    t += 60_000;
    expect((await get(`${base}/member`, session)).status).toBe(200);
  });
});
