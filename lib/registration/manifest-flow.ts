/**
 * App registration: GitHub's manifest flow for one organization. A local server on 127.0.0.1
 * serves the start page (the manifest, each permission explained), at a path random for each run,
 * that posts the manifest to GitHub; GitHub's answer is checked (state, host, code), the code
 * exchanged once, the App it returns compared with the manifest, and the credentials written to a
 * 0600 file in a folder only its owner can write to, never shown.
 * The owner's one click on GitHub is the only manual step. `create-app` drives it and prints.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/core";
import { buildAppManifest, type AppManifest } from "../model/app-manifest";
import { describePermission } from "../catalogue/permission-descriptions";
import { UsageError } from "../config/errors";
import type { OrganizationConfig } from "../config/schema";
import { GITHUB_API_VERSION } from "../github/client";
import { CommandFailure, GitHubFailure } from "../github/errors";
import { installAppUrl, memberPageUrl, newAppUrl } from "../naming";
import type { AppCredentialsFile } from "../model/credentials-file";
import { CredentialsFileWriter } from "./credentials-file";
import { clean } from "../text";

/** Where and how {@link registerApp} runs. */
export interface RegistrationOptions {
  /** Web root of GitHub, without a trailing slash. */
  readonly githubUrl: string;
  /** API root, without a trailing slash. */
  readonly apiUrl: string;
  /** Local port. @default a free one */
  readonly port?: number;
  /** Open the browser. @default true */
  readonly open?: boolean;
  /** Credentials file to create. */
  readonly out: string;
  /**
   * Accept a credentials folder that others can write to (group- or world-writable), where
   * another user could swap the file.
   * @default false
   */
  readonly allowSharedFolder?: boolean;
  /** The config file the manifest comes from, named on the page. @default "token-policy.yaml" */
  readonly configFile?: string;
}

/** The streams the flow writes to: what to open, and refused callbacks. */
export interface RegistrationIO {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** Seams for tests: the browser, and GitHub's one-hour limit. */
export interface CreateAppDeps {
  /** Opens a URL in the owner's browser. @default none: the URL is only printed */
  readonly openBrowser?: (url: string) => Promise<void>;
  /** @default 3600000, GitHub's limit for the manifest code */
  readonly timeoutMs?: number;
  /** Called once the server listens, with its root and the one-time start page's URL. */
  readonly onListening?: (url: string, startUrl: string) => void;
  /**
   * Resolves with the signal's name when the owner interrupts the run (Ctrl-C, SIGTERM): the
   * flow then removes the empty credentials file and fails, unless a code exchange is under way,
   * which it finishes so that the credentials of a created App are not lost.
   * @default never
   */
  readonly interrupted?: Promise<string>;
}

/** What create-app reports (the secrets stay in the file). */
export interface CreateAppResult {
  readonly appId: number;
  readonly slug: string;
  readonly clientId: string;
  readonly credentialsFile: string;
  readonly installUrl: string;
  /** Whether GitHub issued a webhook secret (the App has a webhook URL); the secret stays in the file. */
  readonly webhookSecret: boolean;
}

/** Runs the flow; resolves when the credentials are written, rejects after the timeout. */
export async function registerApp(
  org: OrganizationConfig,
  options: RegistrationOptions,
  io: RegistrationIO,
  deps: CreateAppDeps = {},
): Promise<CreateAppResult> {
  const { githubUrl, apiUrl, out } = options;
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port < 65536)) {
    throw new UsageError(`--port must be a port number, got ${options.port}`);
  }
  // Opened now, before anyone is sent to GitHub: a file that cannot be written fails here, not
  // after GitHub has created the App and the one-time code is spent.
  const writer = new CredentialsFileWriter(out, { allowSharedFolder: options.allowSharedFolder });

  const state = randomBytes(32).toString("base64url");
  // The start page (it carries the state) is served only here: another local process cannot
  // read the state from a well-known path and answer in GitHub's place.
  const startPath = `/${randomBytes(24).toString("base64url")}`;
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", (e) =>
        reject(new UsageError(`cannot listen on 127.0.0.1:${options.port ?? 0}: ${(e as NodeJS.ErrnoException).code}`)),
      );
      server.listen(options.port ?? 0, "127.0.0.1", resolve);
    });
  } catch (e) {
    writer.discard();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const local = `http://127.0.0.1:${port}`;
  // Only this machine's names for this port: a page reached under another Host (DNS
  // rebinding) gets nothing, the state least of all.
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  // With the member page on, members sign in through this App: its callback is registered with it.
  const page = org.memberPage?.enabled && org.memberPage.url ? memberPageUrl(org.memberPage.url, org.login) : undefined;
  const manifest = buildAppManifest({ ...org.app, callbackUrls: page ? [`${page}/callback`] : undefined }, `${local}/callback`);
  const postTo = `${newAppUrl(org.login, githubUrl)}?state=${encodeURIComponent(state)}`;

  try {
    return await new Promise<CreateAppResult>((resolve, reject) => {
      let exchanging = false;
      const timeoutMs = deps.timeoutMs ?? 3_600_000;
      const waited = timeoutMs >= 60_000 ? `${Math.round(timeoutMs / 60_000)} minutes` : `${Math.round(timeoutMs / 1000)} seconds`;
      const timer = setTimeout(
        () =>
          reject(
            new GitHubFailure(
              `no answer from GitHub within ${waited}; GitHub's manifest codes expire after one hour. Run create-app again.`,
            ),
          ),
        timeoutMs,
      );
      let interrupted: string | undefined;
      const stopInterrupted = (signal: string) => {
        clearTimeout(timer);
        writer.discard();
        reject(
          new CommandFailure(
            `interrupted (${signal}) before GitHub answered; the empty ${out} was removed. If you had already confirmed on GitHub, delete that App in ${org.login}'s settings (Developer settings, GitHub Apps) and run create-app again.`,
          ),
        );
      };
      void deps.interrupted?.then((signal) => {
        interrupted = signal;
        if (exchanging) {
          io.stderr.write(`${signal}: finishing the code exchange first, so the new App's credentials are not lost\n`);
          return;
        }
        stopInterrupted(signal);
      });
      server.on("request", (req: IncomingMessage, res: ServerResponse) => {
        if (!allowedHosts.has((req.headers.host ?? "").toLowerCase()))
          return html(res, 421, "<h1>Misdirected request</h1><p>This page answers only at 127.0.0.1 or localhost.</p>");
        const url = new URL(req.url ?? "/", local);
        if (req.method === "GET" && url.pathname === startPath)
          return html(res, 200, startPage(org.login, manifest, postTo, options.configFile ?? "token-policy.yaml"));
        if (req.method !== "GET" || url.pathname !== "/callback") return html(res, 404, "<p>Not found.</p>");
        if (!sameSecret(url.searchParams.get("state"), state)) {
          io.stderr.write("warning: refused a callback with a wrong or missing state; still waiting for GitHub\n");
          return html(
            res,
            403,
            "<h1>Refused</h1><p>This answer does not carry the state this run sent to GitHub. Nothing was done; the flow keeps waiting.</p>",
          );
        }
        const code = url.searchParams.get("code");
        if (!code || !/^[A-Za-z0-9_-]{1,100}$/.test(code)) return html(res, 400, "<p>GitHub's answer has no code.</p>");
        if (exchanging) return html(res, 409, "<p>This run already exchanged its code.</p>");
        if (interrupted) return html(res, 410, "<p>This run was interrupted. Run create-app again.</p>");
        exchanging = true;
        exchange(apiUrl, code)
          .then((data) => {
            const mismatch = conversionMismatch(data, org.login, manifest);
            if (mismatch) {
              const settings = appSettingsUrl(data, githubUrl);
              html(
                res,
                409,
                `<h1>Not saved</h1><p>GitHub returned an App that is not the one this run asked for: ${esc(mismatch)}. Delete it at <a href="${esc(settings)}">${esc(settings)}</a>; see the terminal.</p>`,
              );
              clearTimeout(timer);
              reject(
                new GitHubFailure(
                  `GitHub returned App ${clean(data.slug ?? "?")} (id ${data.id}), which is not the App this run asked for: ${clean(mismatch)}. Its credentials were not saved. Delete it at ${settings} (Advanced, Delete GitHub App), then run create-app again.`,
                ),
              );
              return;
            }
            const file: AppCredentialsFile = {
              id: data.id,
              slug: data.slug,
              client_id: data.client_id,
              client_secret: data.client_secret,
              webhook_secret: data.webhook_secret ?? null,
              pem: data.pem,
              html_url: data.html_url,
              owner: org.login,
              github_url: githubUrl,
            };
            writer.write(file);
            const installUrl = installAppUrl(data.slug, githubUrl);
            html(res, 200, donePage(data.slug, installUrl, out, org.login));
            clearTimeout(timer);
            resolve({
              appId: data.id,
              slug: data.slug,
              clientId: data.client_id,
              credentialsFile: out,
              installUrl,
              webhookSecret: Boolean(data.webhook_secret),
            });
          })
          .catch((e) => {
            const status = (e as { status?: number }).status;
            if (status === 404 || status === 422) {
              // A code GitHub does not know: not GitHub's answer. Waiting on lets the real one,
              // still to come, be saved instead of leaving an App with no saved key.
              exchanging = false;
              io.stderr.write(
                `warning: GitHub does not know the code of a callback (${status}); nothing was saved, still waiting for GitHub\n`,
              );
              html(
                res,
                400,
                "<h1>Refused</h1><p>GitHub does not know this code. Nothing was saved; the flow keeps waiting for GitHub's answer.</p>",
              );
              if (interrupted) stopInterrupted(interrupted);
              return;
            }
            html(res, 502, "<h1>Failed</h1><p>GitHub did not exchange the code. See the terminal.</p>");
            clearTimeout(timer);
            reject(
              new GitHubFailure(
                `GitHub answered ${status ?? "nothing"} to POST /app-manifests/{code}/conversions: ${clean((e as Error).message)}`,
              ),
            );
          });
      });
      const startUrl = `${local}${startPath}`;
      io.stdout.write(
        `Open ${startUrl} to register the ${clean(org.app.name)} App in ${org.login} (waiting up to one hour; this address works for this run only)\n`,
      );
      deps.onListening?.(local, startUrl);
      if (options.open !== false && deps.openBrowser) void deps.openBrowser(startUrl);
    });
  } finally {
    writer.discard(); // no-op once written
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

/**
 * Why a conversion is not the App this run asked for, or undefined: it must belong to the
 * organization and carry the manifest's name, permissions (GitHub may add `metadata: read`) and
 * events.
 */
export function conversionMismatch(data: Conversion, login: string, manifest: AppManifest): string | undefined {
  const problems: string[] = [];
  const owner = data.owner?.login;
  if (!owner || owner.toLowerCase() !== login.toLowerCase()) problems.push(`it belongs to ${owner ?? "no owner"}, not ${login}`);
  if (data.name !== manifest.name) problems.push(`its name is ${JSON.stringify(data.name)}, not ${JSON.stringify(manifest.name)}`);
  const got = { ...(data.permissions ?? {}) };
  if (got.metadata === "read" && manifest.default_permissions.metadata === undefined) delete got.metadata;
  const want = manifest.default_permissions as Record<string, string>;
  const names = [...new Set([...Object.keys(got), ...Object.keys(want)])].sort();
  const differing = names.filter((n) => got[n] !== want[n]);
  if (differing.length)
    problems.push(
      `its permissions differ (${differing.map((n) => `${n}: ${got[n] ?? "none"} instead of ${want[n] ?? "none"}`).join(", ")})`,
    );
  const events = [...(data.events ?? [])].sort().join(",");
  if (events !== [...manifest.default_events].sort().join(","))
    problems.push(`its events differ (${events || "none"} instead of ${manifest.default_events.join(",") || "none"})`);
  return problems.length ? problems.join("; ") : undefined;
}

/** Where an App's owner deletes it: the organization's App settings, or the user's. */
function appSettingsUrl(data: Conversion, githubUrl: string): string {
  const owner = data.owner;
  if (owner?.type === "Organization")
    return `${githubUrl}/organizations/${encodeURIComponent(owner.login)}/settings/apps/${encodeURIComponent(data.slug)}/advanced`;
  return `${githubUrl}/settings/apps/${encodeURIComponent(data.slug)}/advanced`;
}

interface Conversion {
  id: number;
  slug: string;
  name?: string;
  owner?: { login: string; type?: string } | null;
  permissions?: Record<string, string>;
  events?: string[];
  client_id: string;
  client_secret: string;
  webhook_secret?: string | null;
  pem: string;
  html_url: string;
}

async function exchange(apiUrl: string, code: string): Promise<Conversion> {
  const octokit = new Octokit({ baseUrl: apiUrl, userAgent: "github-token-policy", log: { debug() {}, info() {}, warn() {}, error() {} } });
  const { data } = await octokit.request("POST /app-manifests/{code}/conversions", {
    code,
    headers: { "x-github-api-version": GITHUB_API_VERSION },
  });
  return data as unknown as Conversion;
}

function sameSecret(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The pages' look: readable without any outside resource (the CSP allows none), from 320 px
 * wide up: long names break anywhere, and below 36em the permission table stacks each row.
 */
const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #fff; --card: #f6f8fa; --accent: #1f883d; }
@media (prefers-color-scheme: dark) { :root { --fg: #f0f6fc; --muted: #9198a1; --line: #3d444d; --bg: #0d1117; --card: #151b23; --accent: #238636; } }
body { font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg); background: var(--bg); max-width: 46em; margin: 2.5em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { font-size: 1.1em; margin-top: 1.6em; border-bottom: 1px solid var(--line); padding-bottom: .3em; }
.muted { color: var(--muted); } code { font-size: .9em; background: var(--card); padding: .1em .35em; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .45em .6em; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; font-size: .85em; color: var(--muted); } .level { white-space: nowrap; font-weight: 600; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1em 1.2em; margin: 1.2em 0; }
button, a.button { font: inherit; font-weight: 600; color: #fff; background: var(--accent); border: 0; border-radius: 6px; padding: .6em 1.2em; cursor: pointer; text-decoration: none; display: inline-block; }
code, td, a, b, p { overflow-wrap: anywhere; }
@media (max-width: 36em) {
  body { margin: 1em auto; }
  table, tbody, tr, td { display: block; } tr:first-child { display: none; }
  tr { border-bottom: 1px solid var(--line); padding: .5em 0; } td { border: 0; padding: .1em 0; }
  td.level { display: inline-block; margin-right: .5em; }
}
`;

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    // No other page may frame these (a click on "Create" must be the owner's own).
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action *; frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
  });
  res.end(
    `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>token-policy create-app</title><style>${STYLE}</style><body>${body}</body></html>`,
  );
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function startPage(login: string, manifest: AppManifest, postTo: string, configFile: string): string {
  const perms =
    Object.entries(manifest.default_permissions)
      .map(([k, v]) => {
        const what = describePermission(k, v);
        return `<tr><td><code>${esc(k)}</code></td><td class="level">${esc(v)}</td><td>${esc(what.text)}${what.source === "github" && what.text ? ` <span class="muted">(GitHub's words)</span>` : ""}</td></tr>`;
      })
      .join("") || `<tr><td colspan="3" class="muted">none</td></tr>`;
  const events = manifest.default_events.map((e) => `<code>${esc(e)}</code>`).join(" ") || `<span class="muted">none (no webhook)</span>`;
  return `<h1>Register ${esc(manifest.name)}</h1>
<p class="muted">A GitHub App private to <b>${esc(login)}</b>, from the manifest in ${esc(configFile)}.</p>
<div class="card">${manifest.description ? `<p>${esc(manifest.description)}</p>` : ""}<p>Homepage: <a href="${esc(manifest.url)}">${esc(manifest.url)}</a></p></div>
<h2>Permissions it asks for</h2>
<table><tr><th>Permission</th><th>Level</th><th>What it grants</th></tr>${perms}</table>
<h2>Events</h2><p>${events}</p>
<p>GitHub will ask you, as an owner of <b>${esc(login)}</b>, to confirm. Nothing is created until you do.</p>
<form method="post" action="${esc(postTo)}">
<input type="hidden" name="manifest" value="${esc(JSON.stringify(manifest))}">
<button id="create" type="submit">Create the App on GitHub</button>
</form>`;
}

function donePage(slug: string, installUrl: string, file: string, login: string): string {
  return `<h1>${esc(slug)} is registered</h1>
<div class="card"><p>Its credentials (private key, client and webhook secrets) are in <code>${esc(file)}</code>, readable by you only (mode 0600). Keep the file out of git and move the key to your secret store.</p></div>
<p><a class="button" id="install" href="${esc(installUrl)}">Install it on the organization</a></p>
<p class="muted">or run <code>token-policy install --org ${esc(login)} --credentials ${esc(file)}</code>. The terminal lists the next steps. You can close this page.</p>`;
}
