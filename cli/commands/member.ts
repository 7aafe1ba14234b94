/**
 * `token-policy member LOGIN --org ORG`: can LOGIN pick the organization in the fine-grained
 * token form, and if not why; SSO; what the rules do with LOGIN's pending requests; when LOGIN's
 * tokens expire or are revoked; the guide's links that would be approved. Read-only, as the
 * organization's App. The answer is the member engine's (`lib/member`); this module only drives
 * and prints it.
 */
import { authenticationFor, clientFor } from "../../lib/github/authentication";
import { answerMember, type MemberAnswer } from "../../lib/member/member";
import { UsageError } from "../../lib/config/errors";
import { clean } from "../../lib/text";
import { loadOrganization } from "../context";
import type { CommandIO } from "../io";
import { renderMemberJson, renderMemberText } from "../render/member";

/** Options of {@link member}. */
export interface MemberCommandOptions {
  /** The member's login. */
  readonly login: string;
  /** The organization's login, as in the config. */
  readonly org: string;
  /** Config file. @default TOKEN_POLICY_CONFIG or token-policy.yaml */
  readonly config?: string;
  /** Print one JSON object. @default false */
  readonly json?: boolean;
  /** The file create-app wrote, for the App's credentials. @default the environment's */
  readonly credentials?: string;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

/** Answers for one member and prints it. Throws a ConfigError or UsageError (exit 2) on bad input before any call. */
export async function member(options: MemberCommandOptions, io: CommandIO): Promise<MemberAnswer> {
  if (!LOGIN.test(options.login))
    throw new UsageError(
      `member: ${JSON.stringify(clean(options.login))} is not a GitHub login (letters, digits and single inner hyphens, at most 39 characters)`,
    );
  const { org, enterprise } = loadOrganization(options, io.env);
  const auth = io.client ? undefined : authenticationFor(io, org, options.credentials);
  const client = await clientFor(io, org, { auth });
  const answer = await answerMember({ client, org, enterprise, login: options.login, now: io.now?.().getTime() });
  io.stdout.write(options.json ? renderMemberJson(answer) : renderMemberText(answer));
  return answer;
}
