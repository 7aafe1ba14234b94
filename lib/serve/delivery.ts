/**
 * What `serve` reads of a webhook delivery, and nothing more: a delivery is a trigger, not a
 * record. Of a `personal_access_token_request` delivery it takes the organization, the action,
 * the request id, the token id and the installation id; the permissions and repositories are
 * read again from GitHub before anything is decided. A body of any other shape is refused.
 */
import { z } from "zod";

/** The one event `serve` acts on. */
export const TOKEN_REQUEST_EVENT = "personal_access_token_request";

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The fields read of a `personal_access_token_request` delivery. */
const TokenRequestDelivery = z.object({
  action: z.string().min(1).max(64),
  organization: z.object({ login: z.string().min(1).max(100) }),
  installation: z.object({ id }).optional(),
  personal_access_token_request: z.object({ id, token_id: id }),
});

/** Any other event's delivery: an object with, perhaps, an action. */
const OtherDelivery = z.object({ action: z.string().max(64).optional() });

/** A delivery of the token request event, as far as `serve` reads it. */
export interface TokenRequestTrigger {
  readonly kind: "token-request";
  readonly action: string;
  readonly org: string;
  readonly requestId: number;
  readonly tokenId: number;
  /** The installation the delivery names; trusted only when it is the organization's. */
  readonly installationId?: number;
}

/** A delivery of another event: acknowledged and ignored. */
export interface OtherTrigger {
  readonly kind: "other";
  readonly action?: string;
}

/**
 * Reads a parsed delivery body. Returns the trigger, or a problem naming the first field that
 * is missing or of the wrong type (never its value). Nothing in the body is walked deeper than
 * the fields read, so no nesting can exhaust the stack.
 */
export function readDelivery(event: string, body: unknown): { trigger: TokenRequestTrigger | OtherTrigger } | { problem: string } {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return { problem: "the body is not a JSON object" };
  if (event !== TOKEN_REQUEST_EVENT) {
    const other = OtherDelivery.safeParse(body);
    return other.success ? { trigger: { kind: "other", action: other.data.action } } : { problem: describe(other.error) };
  }
  const parsed = TokenRequestDelivery.safeParse(body);
  if (!parsed.success) return { problem: describe(parsed.error) };
  const d = parsed.data;
  return {
    trigger: {
      kind: "token-request",
      action: d.action,
      org: d.organization.login,
      requestId: d.personal_access_token_request.id,
      tokenId: d.personal_access_token_request.token_id,
      installationId: d.installation?.id,
    },
  };
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path.map(String).join(".") || "the body";
  return `${path} is missing or not ${expected(issue)}`;
}

function expected(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") return `${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}`;
  if (issue.code === "too_big" || issue.code === "too_small") return "of the allowed size";
  return "as GitHub sends it";
}
