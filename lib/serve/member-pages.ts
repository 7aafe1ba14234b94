/**
 * The member pages `serve` mounts: one per organization whose config enables `memberPage`, at
 * `/member/{login}`, each signing members in through the organization's own App (its client id
 * read from GitHub, its client secret from the environment) and answering as that App's
 * installation (`lib/member`). The sign-in and answer limits are shared by every page, so that
 * the limit for everybody holds across organizations. The answer's text is injected: the CLI
 * renders it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { enterpriseOf } from "../config/effective-policy";
import type { EnterpriseConfig, OrganizationConfig } from "../config/schema";
import { answerMember, type MemberAnswer } from "../member/member";
import { ANSWER_RATE, githubSignIn, memberPage, SIGN_IN_RATE } from "../member/page";
import { RateLimit } from "../member/rate-limit";
import { memberPagePath, webRoot } from "../naming";
import { peerOf } from "./connection-table";
import type { OrganizationSession } from "./decide-batch";
import { safe, type LogLine } from "./log";

/** The organizations whose config enables the member page. */
export function memberPageOrganizations(organizations: readonly OrganizationConfig[]): OrganizationConfig[] {
  return organizations.filter((o) => o.memberPage?.enabled && o.memberPage.url);
}

/** Options of {@link memberPages}. */
export interface MemberPagesOptions {
  /** The organizations served; those without an enabled `memberPage` get no page. */
  readonly organizations: readonly OrganizationConfig[];
  /** The enterprises of the config, for the answer's policy part. */
  readonly enterprises?: readonly EnterpriseConfig[];
  /** The organization's App installation. */
  readonly sessionFor: (org: OrganizationConfig) => Promise<OrganizationSession>;
  /** The organization's App's OAuth client id. */
  readonly clientIdFor: (org: OrganizationConfig) => Promise<string>;
  /** The organization's App's client secret (checked present before the server starts). */
  readonly clientSecretFor: (org: OrganizationConfig) => string;
  /** The API root the signed-in user is read from (`GET /user`). */
  readonly apiUrlFor: (org: OrganizationConfig) => string;
  /** The GitHub web root members sign in at. @default the organization's githubUrl */
  readonly webUrlFor?: (org: OrganizationConfig) => string;
  /** The answer as text. */
  readonly render: (answer: MemberAnswer) => string;
  /** Where the `member-sign-in` line of each sign-in goes. @default none */
  readonly log?: (line: LogLine) => void;
  /** Sign-ins started, for every page together. @default {@link SIGN_IN_RATE} */
  readonly signIns?: RateLimit;
  /** Answers read, for every page together. @default {@link ANSWER_RATE} */
  readonly answers?: RateLimit;
}

/**
 * One handler for every page: resolves false for a request no page serves (the server answers
 * 404), and is undefined when no organization enables the page.
 */
export function memberPages(options: MemberPagesOptions): ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) | undefined {
  const orgs = memberPageOrganizations(options.organizations);
  if (!orgs.length) return undefined;
  const signIns = options.signIns ?? new RateLimit(SIGN_IN_RATE);
  const answers = options.answers ?? new RateLimit(ANSWER_RATE);
  const handlers = orgs.map((org) => {
    const enterprise = enterpriseOf({ enterprises: options.enterprises ?? [] }, org);
    const githubUrl = (options.webUrlFor ?? ((o) => webRoot(o.githubUrl)))(org);
    return memberPage({
      publicUrl: org.memberPage!.url!,
      path: memberPagePath(org.login),
      githubUrl,
      clientId: () => options.clientIdFor(org),
      signIn: (code, redirectUri) =>
        options
          .clientIdFor(org)
          .then((clientId) =>
            githubSignIn({ githubUrl, apiUrl: options.apiUrlFor(org), clientId, clientSecret: options.clientSecretFor(org) })(
              code,
              redirectUri,
            ),
          ),
      answer: async (login) => answerMember({ client: (await options.sessionFor(org)).client, org, enterprise, login }),
      render: options.render,
      signIns,
      answers,
      peer: (req) => peerOf(req.socket.remoteAddress),
      onSignIn: (login) => options.log?.({ event: "member-sign-in", org: org.login, login: safe(login) }),
    });
  });
  return async (req, res) => {
    for (const handle of handlers) if (await handle(req, res)) return true;
    return false;
  };
}
