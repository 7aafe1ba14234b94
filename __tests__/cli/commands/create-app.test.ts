import { chmodSync, existsSync, symlinkSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { dirname, join } from "node:path";
import type { Page } from "playwright-core";
import { stringify } from "yaml";
import { run as runCli } from "../../../cli";
import { createApp } from "../../../cli/commands/create-app";
import { chromiumForTests } from "../../../test-support/browser";
import { GitHubStandIn } from "../../../test-support/github-stand-in/server";
import { captureIO } from "../../../test-support/io";
import { keyBodyLines } from "../../../test-support/keys";
import { tempDir } from "../../../test-support/temp";

function writeConfig(extra: Record<string, unknown> = {}): string {
  const file = join(tempDir("create-app-"), "token-policy.yaml");
  writeFileSync(
    file,
    stringify({
      organizations: [
        {
          login: "acme-corp",
          app: {
            name: "acme-token-broker",
            homepageUrl: "https://github.com/acme-corp",
            description: "Reviews PAT requests.",
            permissions: { organization_personal_access_token_requests: "write", contents: "read" },
            events: ["personal_access_token_request"],
          },
          credentials: { actions: { visibility: "all" } },
          ...extra,
        },
      ],
    }),
  );
  return file;
}

/**
 * A run's events as promises: `start` resolves with the start page's address once the local
 * server listens; `interrupt()` ends the run as Ctrl-C would, instead of waiting for a timeout.
 */
function interruptible() {
  let listening!: (startUrl: string) => void;
  let interrupt!: (signal: string) => void;
  const start = new Promise<string>((resolve) => (listening = resolve));
  const interrupted = new Promise<string>((resolve) => (interrupt = resolve));
  return { start, listening, interrupted, interrupt: () => interrupt("SIGINT") };
}

describe("create-app (end to end in headless Chromium)", () => {
  let standIn: GitHubStandIn;
  let page: Page;
  let out: string;
  const browser = chromiumForTests();

  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    standIn.addOrg("acme-corp");
    page = await browser().newPage();
    out = join(tempDir("creds-"), ".secrets", "acme-corp-app.json");
  });
  afterEach(async () => {
    await page.close();
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });

  test("the owner's click registers the App and the credentials land in a 0600 file, never on screen", async () => {
    const io = captureIO({});
    let local = "";
    // GIVEN a run whose "browser" is real Chromium clicking the button on the local page
    const result = await createApp({ org: "acme-corp", config: writeConfig(), githubUrl: standIn.url, apiUrl: standIn.url, out }, io, {
      onListening: (url) => (local = url),
      openBrowser: async (url) => {
        await page.goto(url);
        await page.click("#create");
      },
    });
    // THEN GitHub got the configured manifest, pointing back at the local server, with a strong state
    expect(standIn.manifestPosts).toHaveLength(1);
    const post = standIn.manifestPosts[0];
    expect(post.org).toBe("acme-corp");
    expect(post.manifest).toEqual({
      name: "acme-token-broker",
      url: "https://github.com/acme-corp",
      description: "Reviews PAT requests.",
      public: false,
      // organization_personal_access_tokens: read is what verify.evidence's default (grants) needs
      default_permissions: {
        contents: "read",
        organization_personal_access_token_requests: "write",
        organization_personal_access_tokens: "read",
      },
      default_events: ["personal_access_token_request"],
      redirect_url: `${local}/callback`,
      request_oauth_on_install: false,
      setup_on_update: false,
    });
    expect(local).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Buffer.from(post.state!, "base64url").length).toBeGreaterThanOrEqual(16);
    // AND the browser came back to the success page
    await page.waitForSelector("#install");
    expect(await page.getAttribute("#install", "href")).toBe(`${standIn.url}/apps/${result.slug}/installations/new`);
    // AND the credentials file holds the key GitHub issued, mode 0600 in a 0700 directory
    const creds = JSON.parse(readFileSync(out, "utf8"));
    expect(creds).toMatchObject({
      id: result.appId,
      slug: "acme-token-broker",
      client_id: result.clientId,
      html_url: `https://github.com/apps/acme-token-broker`,
      owner: "acme-corp",
    });
    expect(creds.pem).toBe(standIn.createdAppKeys.get(result.appId));
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(out)).mode & 0o777).toBe(0o700);
    // AND nothing secret reached stdout or stderr
    const printed = io.out() + io.err();
    for (const line of keyBodyLines(creds.pem)) expect(printed).not.toContain(line);
    expect(printed).not.toContain(creds.client_secret);
    expect(io.out()).toContain(`Created App acme-token-broker (id ${result.appId}, client id ${result.clientId}).`);
    expect(io.out()).toContain("TF_VAR_acme_corp_app_private_key_actions_sealed");
  });

  test("with the member page on, the App is registered with the page's callback, where members sign in", async () => {
    // GIVEN a config whose member page is on
    const config = writeConfig({ memberPage: { url: "https://tokens.example.com" } });
    // WHEN the owner registers the App
    await createApp({ org: "acme-corp", config, githubUrl: standIn.url, apiUrl: standIn.url, out }, captureIO({}), {
      openBrowser: async (url) => {
        await page.goto(url);
        await page.click("#create");
      },
    });
    // THEN the manifest names the page's callback, and only that one
    expect(standIn.manifestPosts[0].manifest.callback_urls).toEqual(["https://tokens.example.com/member/acme-corp/callback"]);
  });

  test("--json prints the created App as one JSON object, no secret in it; the address to open goes to stderr", async () => {
    const io = captureIO({});
    // GIVEN a run with --json whose browser clicks the button
    const config = writeConfig();
    const result = await createApp({ org: "acme-corp", config, githubUrl: standIn.url, apiUrl: standIn.url, out, json: true }, io, {
      openBrowser: async (url) => {
        await page.goto(url);
        await page.click("#create");
      },
    });
    // THEN stdout is one JSON object naming the App and where its credentials are
    expect(JSON.parse(io.out())).toEqual({
      org: "acme-corp",
      appId: result.appId,
      clientId: result.clientId,
      slug: "acme-token-broker",
      installUrl: `${standIn.url}/apps/acme-token-broker/installations/new`,
      credentialsFile: out,
      webhookSecretIssued: result.webhookSecret,
      configFile: config,
    });
    expect(io.err()).toMatch(/^Open http:\/\/127\.0\.0\.1:\d+\/\S+ to register the acme-token-broker App in acme-corp/);
    // AND none of the credentials file's secrets is printed
    const creds = JSON.parse(readFileSync(out, "utf8"));
    const printed = io.out() + io.err();
    for (const line of keyBodyLines(creds.pem)) expect(printed).not.toContain(line);
    expect(printed).not.toContain(creds.client_secret);
  });

  test("the page names the config file given and describes each permission in reviewed words", async () => {
    // GIVEN a config under another name, asking for both token permissions and organization_secrets: read
    const file = join(tempDir("create-app-"), "acme-policy.yaml");
    const config = {
      login: "acme-corp",
      app: {
        name: "acme-token-broker",
        homepageUrl: "https://github.com/acme-corp",
        permissions: {
          organization_personal_access_token_requests: "write",
          organization_personal_access_tokens: "read",
          organization_secrets: "read",
          issues: "read",
        },
      },
      credentials: { actions: { visibility: "all" } },
    };
    writeFileSync(file, stringify({ organizations: [config] }));
    let text = "";
    let rows: string[] = [];
    // WHEN the owner opens the page (read from the DOM: text that needs no layout)
    await createApp({ org: "acme-corp", config: file, githubUrl: standIn.url, apiUrl: standIn.url, out }, captureIO({}), {
      openBrowser: async (url) => {
        await page.goto(url);
        text = (await page.textContent("body")) ?? "";
        rows = await page.$$eval("tr", (trs) =>
          trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent).join("\t")).filter(Boolean),
        );
        await page.click("#create");
      },
    });
    // THEN it names that file, not token-policy.yaml
    expect(text).toContain(`from the manifest in ${file}.`);
    expect(text).not.toContain("token-policy.yaml");
    // AND the token permissions read the right way round, and read access to secrets does not claim to manage them
    expect(rows).toEqual([
      "issues\tread\tIssues and related comments, assignees, labels, and milestones. (GitHub's words)",
      "organization_personal_access_token_requests\twrite\tSee members' pending requests for fine-grained personal access tokens to this organization, and approve or deny them.",
      "organization_personal_access_tokens\tread\tList the fine-grained personal access tokens already approved for this organization, with their permissions, repositories, expiry and last use.",
      "organization_secrets\tread\tRead the names of the organization's Actions secrets, which repositories may use them, and the public key that secrets are sealed with. Never a secret's value.",
    ]);
  });

  test.each([320, 400, 1280])("the page fits a %i px wide screen: nothing scrolls sideways or is cut off", async (width) => {
    // GIVEN the longest permission names GitHub has, on a phone-sized screen
    const file = join(tempDir("create-app-"), "token-policy.yaml");
    const permissions = {
      organization_personal_access_token_requests: "write",
      organization_personal_access_tokens: "read",
      organization_custom_org_roles: "read",
    };
    writeFileSync(
      file,
      stringify({
        organizations: [
          {
            login: "acme-corp",
            app: { name: "acme-token-broker", homepageUrl: "https://github.com/acme-corp", permissions },
            credentials: { actions: { visibility: "all" } },
          },
        ],
      }),
    );
    let layout = { scrollWidth: 0, overflowing: [] as string[] };
    await page.setViewportSize({ width, height: 800 });
    // WHEN the owner opens it
    await createApp({ org: "acme-corp", config: file, githubUrl: standIn.url, apiUrl: standIn.url, out }, captureIO({}), {
      openBrowser: async (url) => {
        await page.goto(url);
        layout = await page.evaluate((w) => {
          const overflowing = Array.from(document.querySelectorAll("body *"))
            .filter((e) => e.getBoundingClientRect().right > w + 0.5)
            .map((e) => `${e.tagName}: ${(e.textContent ?? "").slice(0, 40)}`);
          return { scrollWidth: document.documentElement.scrollWidth, overflowing };
        }, width);
        await page.click("#create");
      },
    });
    // THEN the page is no wider than the screen, and every element ends inside it
    expect(layout.overflowing).toEqual([]);
    expect(layout.scrollWidth).toBeLessThanOrEqual(width);
  });

  test("a forged or missing state is refused with 403 and the flow keeps waiting", async () => {
    const io = captureIO({});
    const result = await createApp({ org: "acme-corp", config: writeConfig(), githubUrl: standIn.url, apiUrl: standIn.url, out }, io, {
      openBrowser: async (url) => {
        const forged = await page.goto(new URL("/callback?code=abc&state=forged", url).href);
        expect(forged!.status()).toBe(403);
        const missing = await page.goto(new URL("/callback?code=abc", url).href);
        expect(missing!.status()).toBe(403);
        // the file is held open, still empty: nothing was exchanged
        expect(readFileSync(out, "utf8")).toBe("");
        // the real flow still completes afterwards
        await page.goto(url);
        await page.click("#create");
      },
    });
    expect(result.appId).toBeGreaterThan(0);
    expect(io.err()).toContain("refused a callback with a wrong or missing state; still waiting for GitHub");
    expect(standIn.callsOf("POST /app-manifests/{code}/conversions")).toHaveLength(1);
  });

  test("a callback with the right state but a code GitHub does not know cannot end the run", async () => {
    const io = captureIO({});
    const result = await createApp({ org: "acme-corp", config: writeConfig(), githubUrl: standIn.url, apiUrl: standIn.url, out }, io, {
      openBrowser: async (url) => {
        // GIVEN a local process that learned the start address and read the state from it
        const state = /state=([A-Za-z0-9_-]+)/.exec(await (await fetch(url)).text())![1];
        // WHEN it answers in GitHub's place with a made-up code
        const bogus = await fetch(new URL(`/callback?code=madeup&state=${state}`, url));
        // THEN it is refused and nothing is written
        expect(bogus.status).toBe(400);
        expect(readFileSync(out, "utf8")).toBe("");
        // AND the owner's real flow still completes
        await page.goto(url);
        await page.click("#create");
      },
    });
    expect(JSON.parse(readFileSync(out, "utf8")).pem).toBe(standIn.createdAppKeys.get(result.appId));
    expect(io.err()).toContain("warning: GitHub does not know the code of a callback (404); nothing was saved, still waiting for GitHub");
    expect(standIn.callsOf("POST /app-manifests/{code}/conversions").map((c) => c.status)).toEqual([404, 201]);
  });

  test("fails without waiting forever when GitHub never answers", async () => {
    const started = Date.now();
    await expect(
      createApp({ org: "acme-corp", config: writeConfig(), githubUrl: standIn.url, apiUrl: standIn.url, out, open: false }, captureIO({}), {
        timeoutMs: 300,
      }),
    ).rejects.toMatchObject({ exitCode: 1, message: expect.stringContaining("GitHub's manifest codes expire after one hour") });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(existsSync(out)).toBe(false);
  });

  test("refuses to overwrite an existing credentials file, before starting", async () => {
    const existing = join(tempDir("creds-"), "app.json");
    writeFileSync(existing, "{}");
    await expect(createApp({ org: "acme-corp", config: writeConfig(), out: existing, open: false }, captureIO({}))).rejects.toMatchObject({
      exitCode: 2,
      message: `${existing} already exists (or is a symbolic link); refusing to write an App's credentials there (move it away or pass --out)`,
    });
  });

  test("a dangling symlink at the credentials path fails before anything starts", async () => {
    const dir = tempDir("creds-");
    const link = join(dir, "app.json");
    symlinkSync(join(dir, "nowhere", "target.json"), link);
    const opened: string[] = [];
    await expect(
      createApp({ org: "acme-corp", config: writeConfig(), out: link }, captureIO({}), { openBrowser: async (u) => void opened.push(u) }),
    ).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining("already exists (or is a symbolic link)"),
    });
    expect(opened).toEqual([]);
    expect(standIn.manifestPosts).toEqual([]);
  });

  test("an existing folder keeps its mode; a new one is created 0700", async () => {
    const shared = tempDir("shared-");
    chmodSync(shared, 0o755);
    await expect(
      createApp(
        {
          org: "acme-corp",
          config: writeConfig(),
          githubUrl: standIn.url,
          apiUrl: standIn.url,
          out: join(shared, "app.json"),
          open: false,
        },
        captureIO({}),
        { timeoutMs: 200 },
      ),
    ).rejects.toMatchObject({ exitCode: 1 });
    expect(statSync(shared).mode & 0o777).toBe(0o755);
    // the empty file it held is removed when the flow ends without credentials
    expect(existsSync(join(shared, "app.json"))).toBe(false);
  });

  test("answers only requests addressed to 127.0.0.1 or localhost (no state for DNS rebinding)", async () => {
    const run = interruptible();
    const started = createApp(
      { org: "acme-corp", config: writeConfig(), githubUrl: standIn.url, apiUrl: standIn.url, out, open: false },
      captureIO({}),
      {
        onListening: (_u, s) => run.listening(s),
        interrupted: run.interrupted,
      },
    );
    const { port, pathname } = new URL(await run.start);
    const get = (host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port, path: pathname, headers: { host } }, (res) => {
          let body = "";
          res.on("data", (c) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode!, body }));
        });
        req.on("error", reject);
        req.end();
      });
    const evil = await get(`attacker.example:${port}`);
    expect(evil.status).toBe(421);
    expect(evil.body).not.toContain("state=");
    expect((await get(`localhost:${port}`)).body).toContain("state=");
    expect((await get(`127.0.0.1:${port}`)).status).toBe(200);
    run.interrupt();
    await expect(started).rejects.toMatchObject({ exitCode: 1 });
  });

  test.each([
    ["another owner", (c: any) => ({ ...c, org: "mallory-org" }), /belongs to mallory-org, not acme-corp/],
    [
      "another name",
      (c: any) => ({ ...c, manifest: { ...c.manifest, name: "evil-app" } }),
      /its name is "evil-app", not "acme-token-broker"/,
    ],
    [
      "other permissions",
      (c: any) => ({ ...c, manifest: { ...c.manifest, default_permissions: { administration: "write" } } }),
      /permissions differ \(administration: write instead of none/,
    ],
  ])("saves nothing when GitHub returns %s, and says which App to delete where", async (_what, override, reason) => {
    standIn.addOrg("mallory-org");
    standIn.conversionOverride = override;
    const io = captureIO({});
    await expect(
      createApp({ org: "acme-corp", config: writeConfig(), githubUrl: standIn.url, apiUrl: standIn.url, out }, io, {
        openBrowser: async (url) => {
          await page.goto(url);
          await page.click("#create");
        },
      }),
    ).rejects.toMatchObject({
      exitCode: 1,
      message: expect.stringMatching(
        new RegExp(
          `${reason.source}[\\s\\S]*Its credentials were not saved\\. Delete it at ${standIn.url}/(organizations/[a-z-]+/)?settings/apps/[a-z0-9-]+/advanced`,
        ),
      ),
    });
    expect(existsSync(out)).toBe(false);
    expect(io.out()).not.toContain("Record in");
  });

  test("serves the start page (and its state) only at a path random for each run, never framed", async () => {
    const io = captureIO({});
    const starts: string[] = [];
    const roots: string[] = [];
    // GIVEN two runs, each cut short
    for (let i = 0; i < 2; i++) {
      const dir = tempDir("creds-");
      const run = interruptible();
      const started = createApp(
        { org: "acme-corp", config: writeConfig(), githubUrl: standIn.url, apiUrl: standIn.url, out: join(dir, "app.json"), open: false },
        io,
        {
          onListening: (u, s) => {
            roots.push(u);
            starts.push(s);
            run.listening(s);
          },
          interrupted: run.interrupted,
        },
      );
      await run.start;
      // WHEN another local process asks the well-known root
      const root = await fetch(`${roots[i]}/`);
      // THEN it gets nothing that carries the state
      expect(root.status).toBe(404);
      expect(await root.text()).not.toContain("state=");
      // AND the printed one-time address serves the page, which no other page may frame
      const page = await fetch(starts[i]);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("state=");
      expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(page.headers.get("x-frame-options")).toBe("DENY");
      run.interrupt();
      await expect(started).rejects.toMatchObject({ exitCode: 1 });
    }
    expect(new URL(starts[0]).pathname).toMatch(/^\/[A-Za-z0-9_-]{32}$/);
    expect(new URL(starts[0]).pathname).not.toBe(new URL(starts[1]).pathname);
    expect(io.out()).toContain(`Open ${starts[0]} to register`);
  });

  test.each([
    ["777", "everyone and its group", 0o777],
    ["1777", "everyone and its group", 0o1777],
    ["770", "its group", 0o770],
    ["702", "everyone", 0o702],
  ])("fails when the credentials folder has mode %s (writable by %s), before anything starts", async (_mode, who, mode) => {
    // GIVEN a folder another user could write to
    const shared = tempDir("shared-");
    chmodSync(shared, mode);
    const opened: string[] = [];
    // WHEN create-app is asked to write there
    const run = createApp(
      { org: "acme-corp", config: writeConfig(), githubUrl: standIn.url, apiUrl: standIn.url, out: join(shared, "app.json") },
      captureIO({}),
      { openBrowser: async (u) => void opened.push(u) },
    );
    // THEN it refuses, naming the folder, its mode, who can write and the way out
    await expect(run).rejects.toMatchObject({
      exitCode: 2,
      message: `${shared} (mode ${(mode & 0o777).toString(8)}) can be written by ${who}, who could replace the credentials file: write to a folder only you can write to (chmod go-w ${shared}, or --out elsewhere), or pass --allow-shared-folder`,
    });
    // AND nothing was opened, posted or written
    expect(opened).toEqual([]);
    expect(standIn.manifestPosts).toEqual([]);
    expect(existsSync(join(shared, "app.json"))).toBe(false);
  });

  test("a shared folder is used with allowSharedFolder (--allow-shared-folder)", async () => {
    const shared = tempDir("shared-");
    chmodSync(shared, 0o777);
    let held = false;
    await expect(
      createApp(
        {
          org: "acme-corp",
          config: writeConfig(),
          githubUrl: standIn.url,
          apiUrl: standIn.url,
          out: join(shared, "app.json"),
          open: false,
          allowSharedFolder: true,
        },
        captureIO({}),
        {
          timeoutMs: 300,
          onListening: () => (held = existsSync(join(shared, "app.json"))),
        },
      ),
    ).rejects.toMatchObject({ exitCode: 1, message: expect.stringContaining("no answer from GitHub") });
    expect(held).toBe(true);
  });

  test("fails when the credentials file exists and is empty, saying so", async () => {
    const existing = join(tempDir("creds-"), "app.json");
    writeFileSync(existing, "", { mode: 0o600 });
    await expect(createApp({ org: "acme-corp", config: writeConfig(), out: existing, open: false }, captureIO({}))).rejects.toMatchObject({
      exitCode: 2,
      message: `${existing} already exists and is empty: a create-app run was interrupted before it saved credentials. Remove the empty file and run create-app again (if that run's App was created on GitHub, delete it in the organization's settings first)`,
    });
  });

  test("an interrupt before GitHub answers removes the empty file and fails, saying what to check", async () => {
    let interrupt!: (signal: string) => void;
    const interrupted = new Promise<string>((r) => (interrupt = r));
    const run = createApp(
      { org: "acme-corp", config: writeConfig(), githubUrl: standIn.url, apiUrl: standIn.url, out, open: false },
      captureIO({}),
      {
        interrupted,
        onListening: () => {
          expect(existsSync(out)).toBe(true);
          interrupt("SIGINT");
        },
      },
    );
    await expect(run).rejects.toMatchObject({
      exitCode: 1,
      message: `interrupted (SIGINT) before GitHub answered; the empty ${out} was removed. If you had already confirmed on GitHub, delete that App in acme-corp's settings (Developer settings, GitHub Apps) and run create-app again.`,
    });
    expect(existsSync(out)).toBe(false);
  });

  test("an interrupt during the code exchange lets it finish, so the new App's credentials are saved", async () => {
    let interrupt!: (signal: string) => void;
    const interrupted = new Promise<string>((r) => (interrupt = r));
    standIn.beforeHandle = (operation) => {
      if (operation === "POST /app-manifests/{code}/conversions") interrupt("SIGTERM");
    };
    const io = captureIO({});
    const result = await createApp({ org: "acme-corp", config: writeConfig(), githubUrl: standIn.url, apiUrl: standIn.url, out }, io, {
      interrupted,
      openBrowser: async (url) => {
        await page.goto(url);
        await page.click("#create");
      },
    });
    expect(JSON.parse(readFileSync(out, "utf8")).pem).toBe(standIn.createdAppKeys.get(result.appId));
    expect(io.err()).toContain("SIGTERM: finishing the code exchange first, so the new App's credentials are not lost");
  });

  test.each([
    [
      ["--github-url", "http://github.example.com"],
      "--github-url must use https:// (http:// only to this machine: localhost, 127.0.0.1 or [::1]); credentials are sent there",
    ],
    [
      ["--api-url", "http://api.example.com"],
      "--api-url must use https:// (http:// only to this machine: localhost, 127.0.0.1 or [::1]); credentials are sent there",
    ],
    [
      ["--github-url", "https://g\u0456thub.com"],
      "--github-url has a host with non-ASCII characters, which can look like another host; write its ASCII (punycode) spelling xn--gthub-n2e.com if that is the host you mean",
    ],
    [
      ["--github-url", "https://169.254.169.254"],
      "--github-url is a link-local address; for a GitHub Enterprise Server on an internal network set allowPrivateHost: true for this organization",
    ],
  ])("fails when %j: exit 2 before anything starts", async (flags, message) => {
    const io = captureIO({});
    const dir = tempDir("creds-");
    expect(
      await runCli(
        ["create-app", "--org", "acme-corp", "--config", writeConfig(), "--no-open", "--out", join(dir, "app.json"), ...flags],
        io,
      ),
    ).toBe(2);
    expect(io.err()).toBe(`error: ${message}\n`);
    expect(existsSync(join(dir, "app.json"))).toBe(false);
    // AND with --json the same error is the one JSON document on stdout
    const json = captureIO({});
    expect(
      await runCli(
        ["create-app", "--org", "acme-corp", "--config", writeConfig(), "--no-open", "--out", join(dir, "app.json"), "--json", ...flags],
        json,
      ),
    ).toBe(2);
    expect(JSON.parse(json.out())).toEqual({ error: message, exitCode: 2 });
  });
});

describe("create-app as a process", () => {
  test.each(["SIGINT", "SIGTERM"] as const)(
    "%s while waiting for GitHub removes the empty credentials file and exits 1",
    async (signal) => {
      // GIVEN create-app running in its own process, holding its empty credentials file
      const root = join(__dirname, "..", "..", "..");
      const out = join(tempDir("creds-"), "app.json");
      const child = spawn(
        process.execPath,
        [
          join(root, "scripts", "run-ts.cjs"),
          "cli/index.ts",
          "create-app",
          "--org",
          "acme-corp",
          "--config",
          writeConfig(),
          "--no-open",
          "--out",
          out,
        ],
        {
          env: { PATH: process.env.PATH, HOME: process.env.HOME },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stdout = "";
      let stderr = "";
      child.stderr.on("data", (c) => (stderr += c));
      const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
      // waits for the line that says it is listening (or fails when it exits first)
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (c) => {
          stdout += c;
          if (stdout.includes("Open http://127.0.0.1:")) resolve();
        });
        void exited.then(() => reject(new Error(`create-app exited early: ${stderr}`)));
      });
      expect(existsSync(out)).toBe(true);
      // WHEN the owner interrupts it
      child.kill(signal);
      // THEN it exits 1, saying what happened, and the empty file is gone
      expect(await exited).toBe(1);
      expect(stderr).toContain(`error: interrupted (${signal}) before GitHub answered; the empty ${out} was removed.`);
      expect(existsSync(out)).toBe(false);
    },
    60_000,
  );
});
