/**
 * Evidence from granted fine-grained tokens and pending requests (`verify.evidence: grants`):
 * `GET /orgs/{org}/personal-access-tokens` for `fineGrainedTokens` and `maxLifetimeDays`, and the
 * first page of `GET /orgs/{org}/personal-access-token-requests` for `requireApproval` (GitHub
 * keeps requests pending only while owner approval is required).
 */
import type { OrganizationConfig } from "../config/schema";
import type { GitHubClient } from "../github/client";
import { isIsoTimestamp } from "../approval/evaluate";
import { activeTokensUrl, pendingRequestsUrl } from "../naming";
import { count, daysBetween, LISTED, refusal, type EvidenceFinding } from "./evidence-finding";

/** A granted token as listed (the fields this reads; each is checked before use). */
interface Grant {
  id: number;
  owner?: { login?: string };
  token_name?: string;
  access_granted_at?: unknown;
  token_expires_at?: unknown;
  token_expired?: unknown;
}

const TOKENS_ROUTE = "GET /orgs/{org}/personal-access-tokens";
const REQUESTS_ROUTE = "GET /orgs/{org}/personal-access-token-requests";

/** The findings of the `grants` source; `pendingRequests` when the caller has counted them already. */
export async function grantFindings(client: GitHubClient, org: OrganizationConfig, pendingRequests?: number): Promise<EvidenceFinding[]> {
  const login = org.login;
  const tokensUrl = activeTokensUrl(login, org.githubUrl);
  const finding = (
    setting: EvidenceFinding["setting"],
    status: EvidenceFinding["status"],
    text: string,
    links: string[] = [tokensUrl],
  ): EvidenceFinding => ({ setting, source: "grants", status, text, links });
  const findings: EvidenceFinding[] = [];

  const grants: Grant[] = [];
  let refused: string | undefined;
  try {
    for await (const page of client.paginate.iterator(TOKENS_ROUTE, { org: login, per_page: 100 }))
      grants.push(...(page.data as unknown as Grant[]));
  } catch (e) {
    refused = refusal(
      (e as { status?: number }).status,
      TOKENS_ROUTE,
      "organization_personal_access_tokens: read",
      "the organization has no fine-grained token listing here.",
    );
    if (!refused) throw e;
  }
  if (refused) {
    findings.push(
      finding("fineGrainedTokens", "not checkable here", refused, []),
      finding("maxLifetimeDays", "not checkable here", refused, []),
    );
  } else {
    findings.push(fineGrained(org, grants, finding), lifetime(org, grants, finding));
  }
  findings.push(await approval(client, org, pendingRequests));
  return findings;
}

type Make = (setting: EvidenceFinding["setting"], status: EvidenceFinding["status"], text: string, links?: string[]) => EvidenceFinding;

function describeGrant(g: Grant): string {
  return `${g.id} (${g.owner?.login ?? "?"}, "${g.token_name ?? "?"}")`;
}

function fineGrained(org: OrganizationConfig, grants: Grant[], finding: Make): EvidenceFinding {
  const n = grants.length;
  if (org.patPolicy.fineGrainedTokens === "restrict") {
    if (n === 0) return finding("fineGrainedTokens", "holds", "No fine-grained token has access to the organization.");
    const listed = grants.slice(0, LISTED).map(describeGrant).join(", ");
    return finding(
      "fineGrainedTokens",
      "contradicted",
      `${n} fine-grained token${n === 1 ? " has" : "s have"} access although fine-grained tokens are declared restricted: ${listed}${n > LISTED ? ", …" : ""}.`,
    );
  }
  if (n === 0) return finding("fineGrainedTokens", "not checkable here", "No granted fine-grained token: that fits either value.");
  return finding("fineGrainedTokens", "holds", `${n} fine-grained token${n === 1 ? " has" : "s have"} access to the organization.`);
}

function lifetime(org: OrganizationConfig, grants: Grant[], finding: Make): EvidenceFinding {
  const max = org.patPolicy.maxLifetimeDays;
  const over: { g: Grant; days: number }[] = [];
  const unreadable: Grant[] = [];
  let live = 0;
  for (const g of grants) {
    if (g.token_expired === true) continue; // expired: no access left to judge
    live++;
    if (!isIsoTimestamp(g.access_granted_at) || (g.token_expires_at !== null && !isIsoTimestamp(g.token_expires_at))) {
      unreadable.push(g);
      continue;
    }
    if (g.token_expires_at === null) over.push({ g, days: Infinity });
    else {
      const days = daysBetween(Date.parse(g.access_granted_at), Date.parse(g.token_expires_at));
      if (days > max) over.push({ g, days });
    }
  }
  const approximation =
    "Lifetimes are counted from the grant: GitHub's API gives no creation time, and expiry minus grant time is at most the real lifetime, so each listed token certainly exceeds the limit (unless the policy exempts administrators and the owner is one).";
  const unreadText = unreadable.length
    ? `${unreadable.length} token${unreadable.length === 1 ? "'s" : "s'"} dates could not be read: ${unreadable.slice(0, LISTED).map(describeGrant).join(", ")}.`
    : "";
  if (over.length) {
    over.sort((a, b) => b.days - a.days || a.g.id - b.g.id);
    const listed = over
      .slice(0, LISTED)
      .map(({ g, days }) => `${describeGrant(g)} ${days === Infinity ? "never expires" : `expires ${days} days after its grant`}`);
    return finding(
      "maxLifetimeDays",
      "contradicted",
      `${over.length} of ${count(live, "live granted token")} outlive${over.length === 1 ? "s" : ""} ${max} days, worst first: ${listed.join("; ")}${over.length > LISTED ? "; …" : ""}. ${approximation}${unreadText ? ` ${unreadText}` : ""}`,
    );
  }
  if (unreadable.length)
    return finding("maxLifetimeDays", "not checkable here", `No granted token is known to outlive ${max} days, but ${unreadText}`);
  if (live === 0) return finding("maxLifetimeDays", "not checkable here", "No live granted fine-grained token to measure.");
  return finding("maxLifetimeDays", "holds", `Every live granted token (${live}) expires within ${max} days of its grant.`);
}

async function approval(client: GitHubClient, org: OrganizationConfig, counted?: number): Promise<EvidenceFinding> {
  const url = pendingRequestsUrl(org.login, org.githubUrl);
  const make = (status: EvidenceFinding["status"], text: string, links: string[] = [url]): EvidenceFinding => ({
    setting: "requireApproval",
    source: "grants",
    status,
    text,
    links,
  });
  let pending = counted;
  if (pending === undefined) {
    try {
      // One page says whether any request is pending; the count is a lower bound past 100.
      pending = (await client.request(REQUESTS_ROUTE, { org: org.login, per_page: 100 })).data.length;
    } catch (e) {
      const refused = refusal(
        (e as { status?: number }).status,
        REQUESTS_ROUTE,
        "organization_personal_access_token_requests: read",
        "the organization has no request listing here.",
      );
      if (!refused) throw e;
      return make("not checkable here", refused, []);
    }
  }
  const some = `${counted === undefined && pending >= 100 ? "at least 100" : pending} pending request${pending === 1 ? "" : "s"}`;
  if (pending === 0)
    return make(
      "not checkable here",
      "No pending request: requests exist only while approval is required, and none says nothing either way.",
    );
  if (org.patPolicy.requireApproval) return make("holds", `${some}: GitHub keeps requests pending only while owner approval is required.`);
  return make(
    "contradicted",
    `${some} although approval is declared not required: GitHub keeps requests pending only while owner approval is required.`,
  );
}
