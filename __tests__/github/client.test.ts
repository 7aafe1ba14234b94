/**
 * What the CLI takes from its environment: the App's key and the API root. A value placed in the
 * wrong variable is named as such and never echoed; credentials go only to https roots (or to
 * this machine), and a runner's GITHUB_API_URL only to organizations on its own instance.
 */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../cli";
import { createGitHubClient, privateKeyFromEnv, resolveApiUrl } from "../../lib/github/client";
import { GitHubStandIn } from "../../test-support/github-stand-in/server";
import { installApp, writePolicyFile, type InstalledApp } from "../../test-support/fixtures";
import { captureIO } from "../../test-support/io";
import { generateAppKey, keyBodyLines } from "../../test-support/keys";
import { tempDir } from "../../test-support/temp";

describe("the App's key from the environment", () => {
  let standIn: GitHubStandIn;
  let app: InstalledApp;
  beforeEach(async () => {
    standIn = await GitHubStandIn.start();
    app = installApp(standIn);
  });
  afterEach(async () => {
    expect(standIn.violations).toEqual([]);
    await standIn.close();
  });

  test.each([
    ["review", ["review", "--org", "acme-corp"]],
    ["serve", ["serve", "--port", "0"]],
  ])(
    "fails when APP_PRIVATE_KEY_FILE holds the key itself: %s says so, names APP_PRIVATE_KEY and prints none of it",
    async (_name, args) => {
      // GIVEN the PEM pasted into the *_FILE variable instead of a path
      const io = captureIO({
        GITHUB_API_URL: standIn.url,
        APP_ID: String(app.appId),
        APP_PRIVATE_KEY_FILE: app.pem,
        WEBHOOK_SECRET: "Xq7vR2mK9pL4sT8wZ3nB6cF1hJ5yD0gA",
      });
      // WHEN the command starts
      const code = await run([...args, "--config", writePolicyFile()], io);
      // THEN it stops with a usage error that says what the value is and where it belongs
      expect(code).toBe(2);
      // (serve lists every organization's credential problem under one heading)
      expect(io.err()).toMatch(/^error: /);
      expect(io.err()).toContain(
        "APP_PRIVATE_KEY_FILE holds a private key, not a file name: put the key in APP_PRIVATE_KEY, or the key file's path in APP_PRIVATE_KEY_FILE (the value is not shown)\n",
      );
      // AND not one line of the key reached the terminal, and GitHub was not called
      for (const line of keyBodyLines(app.pem)) expect(io.out() + io.err()).not.toContain(line);
      expect(standIn.calls).toEqual([]);
    },
  );

  test("fails when APP_PRIVATE_KEY_FILE names no file, without printing the name", () => {
    const secretLooking = join(tmpdir(), ["ghp", "notreallyatoken".padEnd(36, "0")].join("_"));
    expect(() => privateKeyFromEnv({ APP_PRIVATE_KEY_FILE: secretLooking })).toThrow(
      "APP_PRIVATE_KEY_FILE names a file that cannot be read (ENOENT: it does not exist); the name is not shown",
    );
    try {
      privateKeyFromEnv({ APP_PRIVATE_KEY_FILE: secretLooking });
    } catch (e) {
      expect((e as Error).message).not.toContain("ghp_");
    }
  });

  test("fails when APP_PRIVATE_KEY_FILE names a folder or an endless device, before reading it", () => {
    expect(() => privateKeyFromEnv({ APP_PRIVATE_KEY_FILE: tmpdir() })).toThrow(/must name a regular file/);
    expect(() => privateKeyFromEnv({ APP_PRIVATE_KEY_FILE: "/dev/zero" })).toThrow(/must name a regular file/);
  });

  test("a file that is not a key is refused without showing its content", async () => {
    const file = join(tempDir("key-"), "app.pem");
    writeFileSync(file, "client_secret=s3cr3t-value-not-a-key\n", { mode: 0o600 });
    const io = captureIO({ GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY_FILE: file });
    expect(await run(["review", "--org", "acme-corp", "--config", writePolicyFile()], io)).toBe(2);
    expect(io.err()).toBe(
      "error: the file APP_PRIVATE_KEY_FILE names is not a PEM private key (GitHub issues it as a .pem file: an RSA private key in PEM form); the value is not shown\n",
    );
  });

  test("fails when APP_PRIVATE_KEY holds a file name, pointing at APP_PRIVATE_KEY_FILE", async () => {
    const file = join(tempDir("key-"), "app.pem");
    writeFileSync(file, app.pem, { mode: 0o600 });
    const io = captureIO({ GITHUB_API_URL: standIn.url, APP_ID: String(app.appId), APP_PRIVATE_KEY: file });
    expect(await run(["review", "--org", "acme-corp", "--config", writePolicyFile()], io)).toBe(2);
    expect(io.err()).toBe(
      "error: APP_PRIVATE_KEY holds a file name, not a key: set APP_PRIVATE_KEY_FILE to the file's path, or APP_PRIVATE_KEY to the key itself (the value is not shown)\n",
    );
  });

  test("an organization's own key variable is named when it holds no key, and never shown", async () => {
    const io = captureIO({
      GITHUB_API_URL: standIn.url,
      ACME_CORP_APP_ID: String(app.appId),
      ACME_CORP_APP_PRIVATE_KEY: "hunter2-not-a-key",
    });
    expect(await run(["review", "--org", "acme-corp", "--config", writePolicyFile()], io)).toBe(2);
    expect(io.err()).toBe(
      "error: ACME_CORP_APP_PRIVATE_KEY is not a PEM private key (GitHub issues it as a .pem file: an RSA private key in PEM form); the value is not shown\n",
    );
  });

  test("a key file is read when APP_PRIVATE_KEY_FILE names one", () => {
    const { pem } = generateAppKey();
    const file = join(tempDir("key-"), "app.pem");
    writeFileSync(file, pem, { mode: 0o600 });
    expect(privateKeyFromEnv({ APP_PRIVATE_KEY_FILE: file })).toBe(pem);
  });
});

describe("the API root", () => {
  test("a GHES runner's GITHUB_API_URL is not used for an organization on github.com", () => {
    // GIVEN a job on a GHES runner, which always sets GITHUB_API_URL to its own instance
    const env = { GITHUB_API_URL: "https://github.acme.example/api/v3" };
    // THEN a github.com organization still talks to api.github.com, and a GHE.com one to its own
    expect(resolveApiUrl(env, "https://github.com")).toBe("https://api.github.com");
    expect(resolveApiUrl(env, "https://octo.ghe.com")).toBe("https://api.octo.ghe.com");
    expect(resolveApiUrl(env)).toBe("https://api.github.com");
    // AND the organization on that instance uses it
    expect(resolveApiUrl(env, "https://github.acme.example")).toBe("https://github.acme.example/api/v3");
    // AND a GHE.com runner's root serves its own tenant only
    expect(resolveApiUrl({ GITHUB_API_URL: "https://api.octo.ghe.com" }, "https://octo.ghe.com")).toBe("https://api.octo.ghe.com");
    expect(resolveApiUrl({ GITHUB_API_URL: "https://api.octo.ghe.com" }, "https://other.ghe.com")).toBe("https://api.other.ghe.com");
  });

  test("a GITHUB_API_URL on this machine (a local proxy or stand-in) is used, as TOKEN_POLICY_API_URL is", () => {
    expect(resolveApiUrl({ GITHUB_API_URL: "http://127.0.0.1:8080" }, "https://github.com")).toBe("http://127.0.0.1:8080");
    expect(resolveApiUrl({ TOKEN_POLICY_API_URL: "https://proxy.example/api/v3" }, "https://github.com")).toBe(
      "https://proxy.example/api/v3",
    );
  });

  test.each([
    ["TOKEN_POLICY_API_URL", "http://proxy.example/api/v3", "https://github.com"],
    ["GITHUB_API_URL", "http://api.github.com", "https://github.com"],
    ["GITHUB_API_URL", "http://github.acme.example/api/v3", "https://github.acme.example"],
  ])("fails when %s is %s: credentials would travel in clear", (name, value, githubUrl) => {
    expect(() => resolveApiUrl({ [name]: value }, githubUrl)).toThrow(
      `${name} must use https:// (http:// only to this machine: localhost, 127.0.0.1 or [::1]); credentials are sent there`,
    );
  });

  test("fails when an API root has user info, without repeating it", () => {
    let message = "";
    try {
      resolveApiUrl(
        {
          TOKEN_POLICY_API_URL: `https://x-access-token:${["ghs", "abcdefghijklmnopqrstuvwxyz0123456789"].join("_")}@proxy.example/api/v3`,
        },
        "https://github.com",
      );
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe("TOKEN_POLICY_API_URL must not contain user info (user@host)");
  });

  test("fails when an API root has a lookalike host, giving the punycode spelling", () => {
    expect(() => resolveApiUrl({ TOKEN_POLICY_API_URL: "https://api.g\u0456thub.com" }, "https://github.com")).toThrow(
      /write its ASCII \(punycode\) spelling api\.xn--gthub-n2e\.com/,
    );
  });

  test("the CLI stops with exit 2 before any call when the API root is http://", async () => {
    const standIn = await GitHubStandIn.start();
    try {
      const app = installApp(standIn);
      const io = captureIO({ TOKEN_POLICY_API_URL: "http://api.example.com", APP_ID: String(app.appId), APP_PRIVATE_KEY: app.pem });
      expect(await run(["verify", "--org", "acme-corp", "--config", writePolicyFile()], io)).toBe(2);
      expect(io.err()).toMatch(/^error: TOKEN_POLICY_API_URL must use https:\/\//);
    } finally {
      await standIn.close();
    }
  });

  test("createGitHubClient refuses an http:// root that is not this machine", async () => {
    await expect(createGitHubClient({ apiUrl: "http://api.example.com", auth: { kind: "token", token: "t" } })).rejects.toThrow(
      /the API root must use https:\/\//,
    );
    await expect(createGitHubClient({ apiUrl: "http://127.0.0.1:1", auth: { kind: "token", token: "t" } })).resolves.toBeDefined();
  });
});
