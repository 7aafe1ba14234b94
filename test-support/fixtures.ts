/**
 * Builders for tests and benchmarks: an App with a key generated now, an organization with the
 * App installed on a stand-in, PAT requests shaped as GitHub sends them, a stand-in per test.
 */
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { stringify } from "yaml";
import { generateKeyPairSync } from "node:crypto";
import { GitHubStandIn, type OrgState, type PatRequestState, type StandInOptions } from "./github-stand-in/server";
import { tempDir } from "./temp";

/** An App key pair generated at call time (never committed), PKCS#1 as GitHub issues them. */
export function generateAppKey(): { pem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    pem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

const appKeys = new Map<string, { pem: string; publicPem: string }>();

/**
 * The key of the App installed on `login`: generated on first use, then the same for every
 * installation of that login in this test file (generating an RSA key takes a few hundred
 * milliseconds, and most tests install an App). Apps on different logins have different keys;
 * a test that needs a key of its own passes {@link generateAppKey}'s to {@link installApp}.
 */
export function appKeyFor(login: string): { pem: string; publicPem: string } {
  let key = appKeys.get(login);
  if (!key) {
    key = generateAppKey();
    appKeys.set(login, key);
  }
  return key;
}

/** An App installed on one organization of the stand-in. */
export interface InstalledApp {
  readonly appId: number;
  readonly installationId: number;
  readonly pem: string;
  readonly org: OrgState;
  /** An installation token, as a workflow's GITHUB_TOKEN from create-github-app-token. */
  readonly token: string;
}

/**
 * Registers an App, an organization and the installation on the stand-in. The App is named as
 * the test configs name acme-corp's App (`acme-token-broker`), or `<login>-token-broker`.
 * Its key is `key`, or by default {@link appKeyFor}(login).
 */
export function installApp(standIn: GitHubStandIn, login = "acme-corp", key = appKeyFor(login)): InstalledApp {
  const appId = standIn.id();
  standIn.addApp({
    id: appId,
    slug: `${login}-token-broker`,
    clientId: `Iv23li${appId}`,
    name: login === "acme-corp" ? "acme-token-broker" : `${login}-token-broker`,
    publicKeyPem: key.publicPem,
    permissions: { organization_personal_access_token_requests: "write", organization_personal_access_tokens: "write" },
    events: [],
    ownerLogin: login,
  });
  const installationId = standIn.id();
  const org = standIn.addOrg(login, {
    id: installationId,
    appId,
    repositorySelection: "all",
    repositories: [],
    permissions: { organization_personal_access_token_requests: "write", organization_personal_access_tokens: "write" },
    events: [],
  });
  return { appId, installationId, pem: key.pem, org, token: standIn.issueToken(installationId) };
}

/**
 * A fresh stand-in for every test of the enclosing `describe`: started before each test; after
 * each, checked for response violations (none allowed) and closed. Returns the current one.
 * Jest runs a block's `afterEach` hooks in the order they are declared, so a file whose own
 * teardown must come before the stand-in closes keeps its own hooks instead.
 */
export function standInForEachTest(options?: StandInOptions): () => GitHubStandIn {
  let current: GitHubStandIn | undefined;
  beforeEach(async () => {
    current = await GitHubStandIn.start(options);
  });
  afterEach(async () => {
    const standIn = current!;
    current = undefined;
    try {
      expect(standIn.violations).toEqual([]);
    } finally {
      await standIn.close();
    }
  });
  return () => {
    if (!current) throw new Error("standInForEachTest: the stand-in exists only while a test runs");
    return current;
  };
}

/**
 * acme-corp as the member page meets it: its App installed with `members: read`, members mona
 * and other with a granted token each (`monas-laptop`, `others-secret-project`), and the App's
 * client secret `clientSecret` known to the stand-in's OAuth web flow.
 */
export function memberPageOrganization(standIn: GitHubStandIn, clientSecret: string): InstalledApp & { readonly clientId: string } {
  const app = installApp(standIn);
  app.org.installation!.permissions.members = "read";
  standIn.addMember("acme-corp", "mona");
  standIn.addMember("acme-corp", "other");
  addGrant(standIn, app.org, { owner: "mona", tokenName: "monas-laptop" });
  addGrant(standIn, app.org, { owner: "other", tokenName: "others-secret-project" });
  const clientId = standIn.apps.get(app.appId)!.clientId;
  standIn.oauth.clientSecrets.set(clientId, clientSecret);
  return { ...app, clientId };
}

/** A port free now on 127.0.0.1, for a config that must name a server's URL before it listens. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const DAY = 86_400_000;

/** Adds a pending request; expiry given in days after creation (null: never). */
export function addRequest(
  standIn: GitHubStandIn,
  org: OrgState,
  r: Partial<Omit<PatRequestState, "tokenExpiresAt">> & { days?: number | null } = {},
): PatRequestState {
  const createdAt = r.createdAt ?? new Date(Date.now() - DAY).toISOString();
  const days = r.days === undefined ? 30 : r.days;
  const req: PatRequestState = {
    id: r.id ?? standIn.id(),
    owner: r.owner ?? "octocat",
    tokenId: r.tokenId ?? standIn.id(),
    tokenName: r.tokenName ?? "ci-token",
    repositorySelection: r.repositorySelection ?? "subset",
    repositories: r.repositories ?? ["web"],
    permissions: r.permissions ?? { repository: { contents: "read", metadata: "read" } },
    createdAt,
    tokenExpiresAt: days === null ? null : new Date(Date.parse(createdAt) + days * DAY).toISOString(),
    reason: r.reason ?? null,
  };
  org.requests.set(req.id, req);
  return req;
}

/**
 * Adds a granted token; expiry in days after the grant (null: never). Granted `grantedDaysAgo`
 * (default 2) days ago; last used `lastUsedDaysAgo` days ago (default and null: never).
 */
export function addGrant(
  standIn: GitHubStandIn,
  org: OrgState,
  g: {
    owner?: string;
    days?: number | null;
    permissions?: PatRequestState["permissions"];
    repositories?: string[];
    repositorySelection?: PatRequestState["repositorySelection"];
    tokenName?: string;
    grantedDaysAgo?: number;
    lastUsedDaysAgo?: number | null;
  } = {},
): number {
  const id = standIn.id();
  const accessGrantedAt = new Date(Date.now() - (g.grantedDaysAgo ?? 2) * DAY).toISOString();
  const days = g.days === undefined ? 30 : g.days;
  org.grants.set(id, {
    id,
    owner: g.owner ?? "octocat",
    tokenId: standIn.id(),
    tokenName: g.tokenName ?? "granted",
    repositorySelection: g.repositorySelection ?? "subset",
    repositories: g.repositories ?? ["web"],
    permissions: g.permissions ?? { repository: { contents: "read" } },
    accessGrantedAt,
    tokenExpiresAt: days === null ? null : new Date(Date.parse(accessGrantedAt) + days * DAY).toISOString(),
    lastUsedAt: g.lastUsedDaysAgo == null ? null : new Date(Date.now() - g.lastUsedDaysAgo * DAY).toISOString(),
  });
  return id;
}

/** Writes a one-organization config for acme-corp with the given app and credentials overrides. */
export function writePolicyFile(org: Record<string, unknown> = {}): string {
  const file = join(tempDir("policy-"), "token-policy.yaml");
  writeFileSync(
    file,
    stringify({
      organizations: [
        {
          login: "acme-corp",
          app: { name: "acme-token-broker", homepageUrl: "https://github.com/acme-corp" },
          credentials: { actions: { visibility: "all" } },
          ...org,
        },
      ],
    }),
  );
  return file;
}

/** What {@link threeOrganizations} set up. */
export interface ThreeOrganizations {
  /** The config declaring acme-corp, acme-labs and acme-ops. */
  readonly file: string;
  /** The stand-in's API root and each organization's App as `<STEM>_APP_ID` and `<STEM>_APP_PRIVATE_KEY`. */
  readonly env: NodeJS.ProcessEnv;
  readonly corp: InstalledApp;
  readonly labs: InstalledApp;
}

/**
 * Three organizations as `--all` meets them: acme-corp and acme-labs each with its own App
 * installed, and acme-ops declared with acme-labs's App, which is not installed there (its run
 * fails finding the installation).
 */
export function threeOrganizations(standIn: GitHubStandIn): ThreeOrganizations {
  const corp = installApp(standIn);
  const labs = installApp(standIn, "acme-labs");
  standIn.addOrg("acme-ops");
  const file = join(tempDir("all-"), "token-policy.yaml");
  const org = (login: string, name: string) => ({
    login,
    app: { name, homepageUrl: `https://github.com/${login}` },
    credentials: { actions: { visibility: "all" } },
  });
  writeFileSync(
    file,
    stringify({
      organizations: [
        org("acme-corp", "acme-token-broker"),
        org("acme-labs", "acme-labs-token-broker"),
        org("acme-ops", "acme-labs-token-broker"),
      ],
    }),
  );
  const env = {
    GITHUB_API_URL: standIn.url,
    ACME_CORP_APP_ID: String(corp.appId),
    ACME_CORP_APP_PRIVATE_KEY: corp.pem,
    ACME_LABS_APP_ID: String(labs.appId),
    ACME_LABS_APP_PRIVATE_KEY: labs.pem,
    ACME_OPS_APP_ID: String(labs.appId),
    ACME_OPS_APP_PRIVATE_KEY: labs.pem,
  };
  return { file, env, corp, labs };
}
