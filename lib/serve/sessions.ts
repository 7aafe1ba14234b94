/**
 * Each organization's session with its own App, for `serve`: a client acting as the
 * organization's installation, set up once (the App checked against the config's declared App
 * with one `GET /app`, the installation looked up as the App) and kept for the life of the
 * server, Octokit's App auth strategy renewing and caching the installation token itself; and
 * whether the App's credentials can sign, for `/healthz`; and the App's OAuth client id, for the
 * member page. A session that failed to start is started again on the next use.
 */
import { createAppAuth } from "@octokit/auth-app";
import type { OrganizationConfig } from "../config/schema";
import type { GitHubAuth } from "../github/client";
import type { AppSession } from "../github/app-session";
import { appCredentials, clientFor, openAppSession, type GitHubContext } from "../github/authentication";
import type { OrganizationSession } from "./decide-batch";

/** See the module summary. */
export class AppSessions {
  private readonly credentials: Map<string, Extract<GitHubAuth, { kind: "app" }>>;
  private readonly sessions = new Map<string, Promise<OrganizationSession>>();
  /** The App session behind each started session: its `GET /app` is read once. */
  private readonly apps = new Map<string, AppSession>();
  private readonly signers: Map<string, ReturnType<typeof createAppAuth>>;

  /**
   * Reads every organization's App credentials at once; throws a UsageError (exit 2) naming each
   * organization that has none.
   */
  constructor(
    private readonly io: GitHubContext,
    organizations: readonly OrganizationConfig[],
  ) {
    this.credentials = appCredentials(io, organizations);
    this.signers = new Map([...this.credentials].map(([login, c]) => [login, createAppAuth({ appId: c.appId, privateKey: c.privateKey })]));
  }

  /** The organization's session, started on first use. */
  sessionFor(org: OrganizationConfig): Promise<OrganizationSession> {
    let s = this.sessions.get(org.login);
    if (!s) {
      s = this.start(org);
      this.sessions.set(org.login, s);
      s.catch(() => this.sessions.delete(org.login));
    }
    return s;
  }

  /** Whether the organization's App credentials can sign a JWT; no call to GitHub. */
  async canSign(org: OrganizationConfig): Promise<boolean> {
    return Boolean((await this.signers.get(org.login)!({ type: "app" })).token);
  }

  /** The OAuth client id of the organization's App, as GitHub gives it (`GET /app`, read once with the session's check). */
  async clientId(org: OrganizationConfig): Promise<string> {
    await this.sessionFor(org);
    const app = await this.apps.get(org.login)!.app();
    if (typeof app.client_id !== "string" || !app.client_id) throw new Error(`GitHub gave no client id for ${org.login}'s App`);
    return app.client_id;
  }

  private async start(org: OrganizationConfig): Promise<OrganizationSession> {
    // The organization's installation is looked up as its App, never taken from a delivery or
    // from APP_INSTALLATION_ID (which names one installation, not one per organization).
    const auth = { ...this.credentials.get(org.login)!, installationId: undefined };
    const session = openAppSession(this.io, org, { auth });
    this.apps.set(org.login, session);
    const client = await clientFor(this.io, org, { auth, session });
    const { installationId } = (await client.auth({ type: "installation" })) as { installationId: number };
    return { client, installationId };
  }
}
