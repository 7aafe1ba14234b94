/**
 * Drift detection: what GitHub holds for one organization against what the config declares, as
 * the organization's App. The App's registration and installation (as the App itself), the
 * installation's repositories, the credentials' secrets and variables, and the tokens' lifetimes.
 * Each difference is a {@link Drift} with what to do and where; what the authentication cannot
 * see is listed as not checked, never passed over in silence. The PAT policy, which no API reads,
 * is judged from evidence setting by setting (`pat-policy-evidence.ts`); a contradicted setting
 * is drift too. Each part returns its findings; this module joins them. One App session serves
 * the run: the App's registration is read once. `verify` drives it and prints.
 */
import { buildAppManifest } from "../model/app-manifest";
import { lifetimeViolation } from "../approval/evaluate";
import type { EnterpriseConfig, OrganizationConfig, VisibilityConfig } from "../config/schema";
import { verifyEnterpriseBounds } from "./enterprise";
import type { GitHubClient } from "../github/client";
import type { RegisteredApp } from "../github/app-session";
import { authenticationFor, clientFor, openAppSession, type GitHubContext } from "../github/authentication";
import { secretNames, pendingRequestsUrl, webRoot } from "../naming";
import { patPolicyEvidence, type PatPolicyEvidence } from "./pat-policy-evidence";
import { joinFindings, type VerifyFindings, type Drift } from "./drift";

export type { VerifyFindings, Drift } from "./drift";

/** What {@link verifyOrganization} found. */
export interface VerifyReport {
  readonly org: string;
  readonly drift: Drift[];
  /** Checks that could not run, and why. */
  readonly notChecked: string[];
  /** The PAT policy, setting by setting, as the evidence shows it. */
  readonly patPolicy?: PatPolicyEvidence;
}

/** Options of {@link verifyOrganization}. */
export interface VerifyOrganizationOptions {
  /** The organization's validated config entry. */
  readonly org: OrganizationConfig;
  /** The environment, warnings, and an injected client or client options. */
  readonly context: GitHubContext;
  /** The file create-app wrote. @default the organization's authentication from the environment (see {@link authenticationFor}) */
  readonly credentialsFile?: string;
  /** The enterprise that owns `org`: its settings and bounds are checked too (see `verifyEnterpriseBounds`). */
  readonly enterprise?: EnterpriseConfig;
}

/** Reads everything the authentication allows for one organization and returns the report. */
export async function verifyOrganization({
  org,
  context: ctx,
  credentialsFile,
  enterprise,
}: VerifyOrganizationOptions): Promise<VerifyReport> {
  const auth = authenticationFor(ctx, org, credentialsFile);
  const parts: Partial<VerifyFindings>[] = [];

  let client: GitHubClient | undefined = ctx.client;
  if (auth.kind === "app") {
    // As the App itself first: its registration (read once for the run), and whether it is installed at all.
    const session = openAppSession(ctx, org, { auth });
    const app = await session.assertDeclaredApp();
    const installed = await appDrift(await session.asApp(), app, org);
    parts.push(installed);
    if (installed.installationId !== undefined) {
      client ??= await session.installation(installed.installationId);
      parts.push(await installationRepositoryDrift(client, org, installed));
    } else if (!client) {
      parts.push({ notChecked: ["secrets, variables and tokens (the App is not installed, so it has no installation token)"] });
    }
  } else {
    parts.push({
      notChecked: [
        "the App's registration and installation (GET /app and GET /orgs/{org}/installation need the App itself: set APP_ID with APP_PRIVATE_KEY or APP_PRIVATE_KEY_FILE)",
      ],
    });
    client ??= await clientFor(ctx, org, { auth });
  }
  let pendingRequests: number | undefined;
  if (client) {
    parts.push(await credentialsDrift(client, org));
    const tokens = await pendingRequestDrift(client, org);
    parts.push(tokens);
    pendingRequests = tokens.pendingRequests;
  }
  const patPolicy = await patPolicyEvidence(client, org, {
    why: "the App is not installed, so it has no installation token",
    pendingRequests,
  });
  parts.push({ drift: patPolicyDrift(patPolicy) });
  if (enterprise) parts.push(await verifyEnterpriseBounds({ client, org, enterprise }));
  const { drift, notChecked } = joinFindings(...parts);
  return { org: org.login, drift, notChecked, patPolicy };
}

/** A drift per contradicted PAT policy setting: the first sentence of each contradicting finding. */
function patPolicyDrift(evidence: PatPolicyEvidence): Drift[] {
  return evidence.settings
    .filter((s) => s.status === "contradicted")
    .map((s) => {
      // The whole evidence is in the report's `patPolicy`.
      const found = s.findings.filter((f) => f.status === "contradicted").map((f) => f.text.split(/\.\s/)[0].replace(/\.$/, ""));
      return {
        check: `patPolicy.${s.setting}`,
        expected: s.declared,
        actual: found.join("; "),
        fix: "An owner sets it on the PAT policy page (no API can); or, if GitHub is right, change the config.",
        url: s.fixUrl,
      };
    });
}

/** What {@link appDrift} found, and the installation's id when the App is installed. */
interface AppFindings extends VerifyFindings {
  readonly installationId?: number;
}

/** Drift of the App's registration and, read as the App, of its installation. */
async function appDrift(asApp: GitHubClient, app: RegisteredApp, org: OrganizationConfig): Promise<AppFindings> {
  const web = webRoot(org.githubUrl);
  const manifest = buildAppManifest(org.app);
  const drift: Drift[] = [];
  const settings = `${web}/organizations/${org.login}/settings/apps/${app.slug}`;
  const declared = manifest.default_permissions;
  const registered = (app.permissions ?? {}) as Record<string, string>;
  for (const name of new Set([...Object.keys(declared), ...Object.keys(registered)])) {
    if (name === "metadata" && !declared[name]) continue; // GitHub adds metadata: read to every App
    if (declared[name] !== registered[name]) {
      drift.push({
        check: `app.permissions.${name}`,
        expected: declared[name] ?? "none",
        actual: registered[name] ?? "none",
        fix: "Set the App's permissions to the manifest's on its settings page.",
        url: `${settings}/permissions`,
      });
    }
  }
  const events = [...(app.events ?? [])].sort();
  if (events.join(",") !== manifest.default_events.join(",")) {
    drift.push({
      check: "app.events",
      expected: manifest.default_events.join(", ") || "none",
      actual: events.join(", ") || "none",
      fix: "Set the App's event subscriptions on its settings page.",
      url: `${settings}/permissions`,
    });
  }

  let inst;
  try {
    inst = (await asApp.request("GET /orgs/{org}/installation", { org: org.login })).data;
  } catch (e) {
    if ((e as { status?: number }).status !== 404) throw e;
    drift.push({
      check: "app.installation",
      expected: "installed",
      actual: "not installed",
      fix: `Install it: token-policy install --org ${org.login}.`,
      url: `${web}/apps/${app.slug}/installations/new`,
    });
    return { drift, notChecked: [] };
  }
  const instUrl = `${web}/organizations/${org.login}/settings/installations/${inst.id}`;
  if (org.app.installation.id !== undefined && org.app.installation.id !== inst.id) {
    drift.push({
      check: "app.installation.id",
      expected: String(org.app.installation.id),
      actual: String(inst.id),
      fix: "Record the installation's id in the config.",
      url: instUrl,
    });
  }
  const accepted = (inst.permissions ?? {}) as Record<string, string>;
  for (const [name, level] of Object.entries(declared)) {
    if (accepted[name] !== level) {
      drift.push({
        check: `installation.permissions.${name}`,
        expected: level,
        actual: accepted[name] ?? "none",
        fix: "An owner must accept the App's requested permissions on the installation page.",
        url: instUrl,
      });
    }
  }
  const selection = org.app.installation.repositories === "all" ? "all" : "selected";
  if (inst.repository_selection !== selection) {
    drift.push({
      check: "installation.repository_selection",
      expected: selection,
      actual: inst.repository_selection,
      fix: "Choose the repositories on the installation page (or let cdktf deploy manage the list).",
      url: instUrl,
    });
  }
  return { drift, notChecked: [], installationId: inst.id };
}

/**
 * With selected repositories, the installation reaches exactly the configured ones; not checked
 * when the App's findings already say the selection itself differs.
 */
async function installationRepositoryDrift(client: GitHubClient, org: OrganizationConfig, installed: AppFindings): Promise<VerifyFindings> {
  const web = webRoot(org.githubUrl);
  const wanted = org.app.installation.repositories;
  const instUrl = `${web}/organizations/${org.login}/settings/installations/${installed.installationId}`;
  const drift: Drift[] = [];
  if (wanted !== "all" && !installed.drift.some((d) => d.check === "installation.repository_selection")) {
    const names: string[] = [];
    for await (const page of client.paginate.iterator("GET /installation/repositories", { per_page: 100 }))
      for (const r of page.data) names.push(r.name);
    const missing = wanted.filter((r) => !names.includes(r));
    const extra = names.filter((r) => !wanted.includes(r));
    if (missing.length || extra.length) {
      drift.push({
        check: "installation.repositories",
        expected: [...wanted].sort().join(", "),
        actual: names.sort().join(", ") || "none",
        fix: "Run cdktf deploy (it manages the list), or fix it on the installation page.",
        url: instUrl,
      });
    }
  }
  return { drift, notChecked: [] };
}

type SelectedRepositoriesRoute =
  | "GET /orgs/{org}/actions/secrets/{secret_name}/repositories"
  | "GET /orgs/{org}/actions/variables/{name}/repositories"
  | "GET /orgs/{org}/dependabot/secrets/{secret_name}/repositories";

/** The App's credentials as the stack delivers them: the key secret and the id variables, with their visibility. */
async function credentialsDrift(client: GitHubClient, org: OrganizationConfig): Promise<VerifyFindings> {
  const web = webRoot(org.githubUrl);
  const drift: Drift[] = [];
  const notChecked: string[] = [];
  const names = secretNames(org.credentials.prefix);
  const secretsUrl = `${web}/organizations/${org.login}/settings/secrets/actions`;
  const deploy = "Run cdktf deploy for this organization.";
  const visibility = async (
    what: string,
    v: VisibilityConfig,
    found: { visibility: string },
    reposRoute: () => Promise<string[]>,
    url: string,
  ) => {
    if (found.visibility !== v.visibility) {
      drift.push({ check: `${what}.visibility`, expected: v.visibility, actual: found.visibility, fix: deploy, url });
    } else if (v.visibility === "selected") {
      const names = (await reposRoute()).sort();
      const expected = [...(v.repositories ?? [])].sort();
      if (names.join(",") !== expected.join(","))
        drift.push({ check: `${what}.repositories`, expected: expected.join(", "), actual: names.join(", ") || "none", fix: deploy, url });
    }
  };
  const variablesUrl = `${web}/organizations/${org.login}/settings/variables/actions`;
  const dependabotUrl = `${web}/organizations/${org.login}/settings/secrets/dependabot`;
  /** Every repository name of a selected-visibility list, all pages. */
  const repositoryNames = async (route: SelectedRepositoriesRoute, params: Record<string, string>) =>
    ((await client.paginate(route, { org: org.login, per_page: 100, ...params } as never)) as { name: string }[]).map((r) => r.name);
  const guarded = async (what: string, permission: string, url: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (status === 404) drift.push({ check: what, expected: "present", actual: "missing", fix: deploy, url });
      else if (status === 403) notChecked.push(`${what} (the token lacks ${permission})`);
      else throw e;
    }
  };
  await guarded(`secret ${names.privateKey}`, "organization_secrets: read", secretsUrl, async () => {
    const { data } = await client.request("GET /orgs/{org}/actions/secrets/{secret_name}", {
      org: org.login,
      secret_name: names.privateKey,
    });
    await visibility(
      `secret ${names.privateKey}`,
      org.credentials.actions,
      data,
      () => repositoryNames("GET /orgs/{org}/actions/secrets/{secret_name}/repositories", { secret_name: names.privateKey }),
      secretsUrl,
    );
  });
  for (const [name, expectedValue] of [
    [names.appId, org.app.id !== undefined ? String(org.app.id) : undefined],
    [names.clientId, org.app.clientId],
  ] as const) {
    await guarded(`variable ${name}`, "organization_actions_variables: read", variablesUrl, async () => {
      const { data } = await client.request("GET /orgs/{org}/actions/variables/{name}", { org: org.login, name });
      if (expectedValue !== undefined && data.value !== expectedValue) {
        drift.push({ check: `variable ${name}.value`, expected: expectedValue, actual: data.value, fix: deploy, url: variablesUrl });
      }
      await visibility(
        `variable ${name}`,
        org.credentials.actions,
        data,
        () => repositoryNames("GET /orgs/{org}/actions/variables/{name}/repositories", { name }),
        variablesUrl,
      );
    });
  }
  if (org.credentials.dependabot) {
    await guarded(`Dependabot secret ${names.privateKey}`, "dependabot_secrets: read", dependabotUrl, async () => {
      const { data } = await client.request("GET /orgs/{org}/dependabot/secrets/{secret_name}", {
        org: org.login,
        secret_name: names.privateKey,
      });
      await visibility(
        `Dependabot secret ${names.privateKey}`,
        org.credentials.dependabot!,
        data,
        () => repositoryNames("GET /orgs/{org}/dependabot/secrets/{secret_name}/repositories", { secret_name: names.privateKey }),
        dependabotUrl,
      );
    });
  }
  return { drift, notChecked };
}

/**
 * Pending requests asking for more than the lifetime limit (granted tokens are the PAT policy
 * evidence's). Returns how many are pending, undefined when they could not be listed.
 */
async function pendingRequestDrift(
  client: GitHubClient,
  org: OrganizationConfig,
): Promise<VerifyFindings & { readonly pendingRequests?: number }> {
  const web = webRoot(org.githubUrl);
  const drift: Drift[] = [];
  const notChecked: string[] = [];
  const max = org.patPolicy.maxLifetimeDays;
  let listed = 0;
  const scan = async (route: "GET /orgs/{org}/personal-access-token-requests", permission: string) => {
    const bad: number[] = [];
    try {
      for await (const page of client.paginate.iterator(route, { org: org.login, per_page: 100 })) {
        listed += page.data.length;
        for (const t of page.data as unknown as { id: number; token_expires_at: string | null; created_at: string }[]) {
          if (lifetimeViolation({ since: t.created_at, tokenExpiresAt: t.token_expires_at }, max)) bad.push(t.id);
        }
      }
    } catch (e) {
      if ((e as { status?: number }).status === 403) {
        notChecked.push(`pending requests (the token lacks ${permission})`);
        return undefined;
      }
      throw e;
    }
    return bad;
  };
  const pending = await scan("GET /orgs/{org}/personal-access-token-requests", "organization_personal_access_token_requests: read");
  if (pending?.length) {
    drift.push({
      check: "pending requests",
      expected: `none asking for over ${max} days`,
      actual: `${pending.length} (ids ${pending.slice(0, 10).join(", ")}${pending.length > 10 ? ", …" : ""})`,
      fix: "Run review --apply: it denies them. If many arrive, the PAT policy page's lifetime may not match the config.",
      url: pendingRequestsUrl(org.login, web),
    });
  }
  return { drift, notChecked, pendingRequests: pending ? listed : undefined };
}
