/**
 * One App session per run and organization: the App's own client (a JWT), its registration
 * (`GET /app`, read once and kept), the check that it is the App the config declares, and the
 * installation's clients. Every installation client of a session shares one `@octokit/auth-app`
 * instance, so its installation token is created once and reused from that strategy's own cache
 * until near expiry. `clientFor`, verify and install open sessions here.
 */
import { createAppAuth } from "@octokit/auth-app";
import { UsageError } from "../config/errors";
import type { OrganizationConfig } from "../config/schema";
import { clean } from "../text";
import { createGitHubClient, type GitHubAuth, type GitHubClient, type GitHubClientOptions } from "./client";

/** App authentication: the App's id and private key, and its installation's id when known. */
export type AppAuth = Extract<GitHubAuth, { kind: "app" }>;

/** What GitHub says about the App (`GET /app`), as far as this product reads it. */
export interface RegisteredApp {
  readonly id: number;
  readonly slug?: string;
  readonly name: string;
  /** The App's OAuth client id (the member page's sign-in). */
  readonly client_id?: string;
  readonly permissions?: Readonly<Record<string, string | undefined>>;
  readonly events?: readonly string[];
}

/** Options of {@link AppSession}. */
export interface AppSessionOptions {
  /** The App's credentials. */
  readonly auth: AppAuth;
  /** The organization the App acts for: its login, and the App its config declares. */
  readonly org: OrganizationConfig;
  /** How to build the session's clients (API root, warnings, retries, timings). */
  readonly client: Omit<GitHubClientOptions, "auth" | "asApp" | "login" | "authStrategy">;
}

/** Installation token permissions, as GitHub takes them. */
type Permissions = Readonly<Record<string, "read" | "write">>;

/** One App's conversation with GitHub for one organization during one run. */
export class AppSession {
  private jwtClient?: Promise<GitHubClient>;
  private registration?: Promise<RegisteredApp>;
  private declaredCheck?: Promise<RegisteredApp>;
  /** One auth-app instance per installation: its cache holds the installation token. */
  private readonly installationAuth = new Map<number, ReturnType<typeof createAppAuth>>();

  /** Opens a session; nothing is sent until a client or the registration is asked for. */
  public constructor(private readonly options: AppSessionOptions) {}

  /** The organization's login. */
  public get login(): string {
    return this.options.org.login;
  }

  /** The App's id, as the credentials give it. */
  public get appId(): string {
    return this.options.auth.appId;
  }

  /** The client that acts as the App itself (a JWT): `/app` endpoints and installation lookups. */
  public asApp(): Promise<GitHubClient> {
    this.jwtClient ??= createGitHubClient({ ...this.options.client, auth: this.options.auth, login: this.login, asApp: true });
    return this.jwtClient;
  }

  /** The App's registration, `GET /app`: read once per session, whoever asks. */
  public app(): Promise<RegisteredApp> {
    this.registration ??= this.asApp().then(async (jwt) => (await jwt.request("GET /app")).data as RegisteredApp);
    return this.registration;
  }

  /**
   * The App's registration, after checking it is the App the config declares for the
   * organization (its slug, or else its name, and its id when declared); another App stops the
   * command with exit 2 before it does anything.
   */
  public assertDeclaredApp(): Promise<RegisteredApp> {
    this.declaredCheck ??= this.app().then((got) => {
      const problem = undeclaredApp(got, this.options.org);
      if (problem) throw new UsageError(problem);
      return got;
    });
    return this.declaredCheck;
  }

  /**
   * A client that acts as the App's installation on the organization: `installationId`, else
   * the credentials', else the one `GET /orgs/{org}/installation` finds. With `permissions`, its
   * token carries only those.
   */
  public async installation(installationId?: number, permissions?: Permissions): Promise<GitHubClient> {
    const id = installationId ?? this.options.auth.installationId ?? (await this.findInstallation());
    // The first client's request and log go to the shared instance; later clients reuse it.
    const authStrategy = ((strategyOptions: Parameters<typeof createAppAuth>[0]) => {
      let auth = this.installationAuth.get(id);
      if (!auth) {
        auth = createAppAuth({ ...strategyOptions, appId: this.appId, privateKey: this.options.auth.privateKey, installationId: id });
        this.installationAuth.set(id, auth);
      }
      return auth;
    }) as typeof createAppAuth;
    return createGitHubClient({
      ...this.options.client,
      auth: { ...this.options.auth, installationId: id },
      login: this.login,
      ...(permissions ? { permissions } : {}),
      authStrategy,
    });
  }

  /** The organization's installation of the App, as the App itself finds it. */
  private async findInstallation(): Promise<number> {
    const jwt = await this.asApp();
    return (await jwt.request("GET /orgs/{org}/installation", { org: this.login })).data.id;
  }
}

/** Why the App behind the credentials is not the one the config declares, or undefined. */
function undeclaredApp(got: RegisteredApp, org: OrganizationConfig): string | undefined {
  const declared = org.app;
  const matches = declared.slug ? got.slug === declared.slug : got.name.toLowerCase() === declared.name.toLowerCase();
  const idMatches = declared.id === undefined || declared.id === got.id;
  if (matches && idMatches) return undefined;
  return `the credentials are for the App ${clean(got.name)} (slug ${clean(got.slug ?? "?")}, id ${got.id}), but the config declares ${declared.slug ? `slug ${declared.slug}` : `the App ${declared.name}`}${declared.id !== undefined ? ` (id ${declared.id})` : ""} for ${org.login}: use ${org.login}'s App's credentials`;
}
