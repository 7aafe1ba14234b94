/**
 * What the stand-in's route modules share: the handler's context and answer, GitHub's usual error
 * answers, and the repeated handler shapes (a page of a list, a page of a counted list).
 */
import type { GitHubStandIn, OrgState, AppState } from "../server";

/** What a route handler answers: status, JSON body and extra headers. */
export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** What a route handler is given: the request, and what authentication and the path resolved. */
export interface HandlerContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: any;
  org?: OrgState;
  app?: AppState;
  installationId?: number;
  /** The signed-in user, for a user token. */
  user?: string;
}

/** GitHub's 404 (with the `status` field GitHub adds). */
export const notFound: Answer = {
  status: 404,
  body: { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" },
};

/** GitHub's 403 when an installation lacks the App permission an endpoint needs. */
export const forbidden: Answer = {
  status: 403,
  body: { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest", status: "403" },
};

/** GitHub's 422 "Validation Failed" with these errors. */
export function validationFailed(errors: Record<string, unknown>[]): Answer {
  return { status: 422, body: { message: "Validation Failed", documentation_url: "https://docs.github.com/rest", errors } };
}

/**
 * Whether the installation behind `installationId` lacks `permission` at `level` on `org`
 * (false for a token that is not an installation token of this organization, an owner's).
 */
export function lacks(org: OrgState, installationId: number | undefined, permission: string, level: "read" | "write"): boolean {
  const inst = installationOf(org, installationId);
  if (!inst) return false; // not an installation token of this org (an owner's)
  const have = inst.permissions[permission];
  return !(have === level || have === "write" || have === "admin");
}

/** The installation `id` of `org`: the App's own or another App's. */
export function installationOf(org: OrgState | undefined, id: number | undefined): OrgState["installation"] {
  return org?.installation?.id === id ? org?.installation : [...(org?.appInstallations?.values() ?? [])].find((i) => i.id === id);
}

/** One page of `items` at `path`, each shaped by `toBody`, with GitHub's `link` header. */
export function pageOf<T>(s: GitHubStandIn, items: T[], query: URLSearchParams, path: string, toBody: (item: T) => unknown): Answer {
  const { page, headers } = s.paginate(items, query, path);
  return { status: 200, body: page.map(toBody), headers };
}

/**
 * One page of `org`'s repositories `names` at `path`, in GitHub's counted form
 * (`{ total_count, repositories }`, plus `extra` fields), with GitHub's `link` header.
 */
export function repositoryPageOf(
  s: GitHubStandIn,
  org: OrgState,
  names: string[],
  query: URLSearchParams,
  path: string,
  extra: Record<string, unknown> = {},
  toBody: (org: OrgState, name: string) => unknown = (o, n) => s.repositoryBody(o, n),
): Answer {
  const { page, headers } = s.paginate(names, query, path);
  return { status: 200, body: { total_count: names.length, ...extra, repositories: page.map((n) => toBody(org, n)) }, headers };
}

/** A stable 32-bit hash (FNV-1a), for ids derived from names. */
export function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}
