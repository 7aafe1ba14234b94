/**
 * The stand-in's Apps and installations: an organization's installation, installation tokens,
 * the manifest flow (GitHub's new-App page and the code conversion), `GET /app`, an
 * installation's repositories, and (Enterprise Cloud) enterprise installations.
 */
import type { ServerResponse } from "node:http";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { GitHubStandIn } from "../server";
import { fullRepositoryBody, installationBody } from "../bodies";
import { hash, installationOf, notFound, repositoryPageOf, validationFailed } from "./kit";

/** Adds the App and installation operations to `s`. */
export function addAppRoutes(s: GitHubStandIn): void {
  s.route("GET", "/orgs/{org}/installation", "jwt", ({ org, app }) => {
    const inst = org!.installation?.appId === app!.id ? org!.installation : org!.appInstallations?.get(app!.id);
    if (!inst) return notFound;
    return { status: 200, body: installationBody(s.url, org!, app!, inst) };
  });

  s.route("POST", "/app/installations/{installation_id}/access_tokens", "jwt", ({ params, app, body }) => {
    const org = [...s.orgs.values()].find((o) => o.installation?.id === Number(params.installation_id));
    if (!org || org.installation!.appId !== app!.id) return notFound;
    // A narrowed token: only permissions the installation has, at most at its level.
    const asked = (body?.permissions ?? undefined) as Record<string, string> | undefined;
    const rank = (l: string | undefined) => ["read", "write", "admin"].indexOf(l ?? "") + 1;
    if (asked && Object.entries(asked).some(([n, l]) => rank(l) === 0 || rank(l) > rank(org.installation!.permissions[n]))) {
      return {
        status: 422,
        body: {
          message: "The permissions requested are not granted to this installation.",
          documentation_url: "https://docs.github.com/rest",
        },
      };
    }
    const token = s.issueToken(org.installation!.id);
    return {
      status: 201,
      body: {
        token,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        permissions: asked ?? org.installation!.permissions,
        repository_selection: org.installation!.repositorySelection,
      },
    };
  });

  s.route("POST", "/app-manifests/{code}/conversions", "none", ({ params }) => {
    const found = s.conversions.get(params.code);
    if (!found) return notFound;
    const conv = s.conversionOverride ? s.conversionOverride(found) : found;
    s.conversions.delete(params.code); // one use, as on GitHub
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const id = s.id();
    const slug = String(conv.manifest.name)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-");
    const app = s.addApp({
      id,
      slug,
      clientId: `Iv23li${randomBytes(6).toString("hex")}`,
      name: conv.manifest.name,
      publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
      permissions: conv.manifest.default_permissions ?? {},
      events: conv.manifest.default_events ?? [],
      ownerLogin: conv.org,
    });
    s.createdAppKeys.set(id, pem);
    return {
      status: 201,
      body: {
        ...s.integrationBody(app),
        client_secret: randomBytes(20).toString("hex"),
        webhook_secret: conv.manifest.hook_attributes ? randomBytes(20).toString("hex") : null,
        pem,
      },
    };
  });

  s.route("GET", "/app", "jwt", ({ app }) => ({ status: 200, body: s.integrationBody(app!) }));

  s.route("GET", "/installation/repositories", "installation", ({ installationId, query }) => {
    const org = [...s.orgs.values()].find((o) => installationOf(o, installationId));
    const inst = installationOf(org, installationId);
    if (!org || !inst) return notFound;
    return repositoryPageOf(
      s,
      org,
      inst.repositories,
      query,
      "/installation/repositories",
      { repository_selection: inst.repositorySelection },
      (o, n) => fullRepositoryBody(s.url, o, n),
    );
  });

  if (s.spec === "ghec") addEnterpriseInstallationRoutes(s);
}

/** Enterprise Cloud only: an enterprise-level App installs other Apps on its organizations. */
function addEnterpriseInstallationRoutes(s: GitHubStandIn): void {
  s.route("POST", "/enterprises/{enterprise}/apps/organizations/{org}/installations", "installation", ({ org, params, body }) => {
    if (org!.enterprise !== params.enterprise) return notFound;
    const app = [...s.apps.values()].find((a) => a.clientId === body.client_id);
    if (!app) return validationFailed([{ resource: "Installation", code: "invalid", field: "client_id" }]);
    if (org!.appInstallations?.has(app.id))
      return { status: 200, body: installationBody(s.url, org!, app, org!.appInstallations.get(app.id)!) };
    const inst = {
      id: s.id(),
      appId: app.id,
      repositorySelection: body.repository_selection === "selected" ? ("selected" as const) : ("all" as const),
      repositories: [...(body.repositories ?? [])],
      permissions: app.permissions,
      events: app.events,
    };
    org!.appInstallations = org!.appInstallations ?? new Map();
    org!.appInstallations.set(app.id, inst);
    return { status: 201, body: installationBody(s.url, org!, app, inst) };
  });
  s.route(
    "PATCH",
    "/enterprises/{enterprise}/apps/organizations/{org}/installations/{installation_id}/repositories/add",
    "installation",
    ({ org, params, body }) => {
      if (org!.enterprise !== params.enterprise) return notFound;
      const inst = [...(org!.appInstallations?.values() ?? [])].find((i) => i.id === Number(params.installation_id));
      if (!inst) return notFound;
      for (const name of body.repositories as string[]) if (!inst.repositories.includes(name)) inst.repositories.push(name);
      return {
        status: 200,
        body: inst.repositories.map((name) => ({
          id: hash(`${org!.login}/${name}`) % 1_000_000_000,
          name,
          full_name: `${org!.login}/${name}`,
        })),
      };
    },
  );
}

/**
 * The stand-in for GitHub's new-App page (a web page, not the API, so not in the OpenAPI
 * description). A POST with a `manifest` form field registers the App as an owner's click
 * would, and redirects to the manifest's `redirect_url` with a one-time code and the state.
 */
export function newAppPage(s: GitHubStandIn, method: string, login: string, url: URL, raw: string, res: ServerResponse): void {
  const page = (status: number, text: string) => {
    res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><title>GitHub stand-in</title><p>${text.replace(/</g, "&lt;")}</p>`);
  };
  if (method !== "POST") return page(200, "Post a manifest here.");
  const manifestText = new URLSearchParams(raw).get("manifest");
  let manifest: Record<string, any>;
  try {
    manifest = JSON.parse(manifestText ?? "");
  } catch {
    return page(422, "Invalid GitHub App configuration: the manifest is not JSON.");
  }
  const state = url.searchParams.get("state");
  s.manifestPosts.push({ org: login, state, manifest });
  if (!s.orgs.has(login.toLowerCase())) return page(404, "Organization not found.");
  if (typeof manifest.url !== "string" || typeof manifest.name !== "string")
    return page(422, "Invalid GitHub App configuration: name and url are required.");
  if (typeof manifest.redirect_url !== "string")
    return page(422, "Invalid GitHub App configuration: redirect_url is required for this flow.");
  const code = randomBytes(10).toString("hex");
  s.conversions.set(code, { org: login, manifest });
  const target = new URL(manifest.redirect_url);
  target.searchParams.set("code", code);
  if (state !== null) target.searchParams.set("state", state);
  res.writeHead(302, { location: target.toString() });
  res.end();
}
