/**
 * Evidence from SAML single sign-on credential authorizations (`verify.evidence:
 * credentialAuthorizations`; GitHub Enterprise Cloud with SAML SSO): `GET
 * /orgs/{org}/credential-authorizations` lists the credentials authorized for the organization.
 * Entries of type `personal access token` are classic tokens (fine-grained tokens are authorized
 * when created and are not listed as such), which a classic token needs to reach an SSO
 * organization at all: they speak to `classicTokens` and `classicMaxLifetimeDays`.
 * The tokens' last eight characters are never shown.
 */
import type { OrganizationConfig } from "../config/schema";
import type { GitHubClient } from "../github/client";
import { isIsoTimestamp } from "../approval/evaluate";
import { webRoot } from "../naming";
import { daysBetween, LISTED, refusal, type EvidenceFinding } from "./evidence-finding";

/** An authorization as listed (the fields this reads; each is checked before use). */
interface Authorization {
  login?: unknown;
  credential_id?: unknown;
  credential_type?: unknown;
  credential_authorized_at?: unknown;
  credential_accessed_at?: unknown;
  authorized_credential_expires_at?: unknown;
}

const ROUTE = "GET /orgs/{org}/credential-authorizations";
/** GitHub's `credential_type` of a classic personal access token. */
const CLASSIC = "personal access token";

function describe(a: Authorization): string {
  return `${String(a.credential_id)} (${typeof a.login === "string" ? a.login : "?"}, authorized ${isIsoTimestamp(a.credential_authorized_at) ? a.credential_authorized_at.slice(0, 10) : "at an unknown time"}${isIsoTimestamp(a.credential_accessed_at) ? `, last used ${a.credential_accessed_at.slice(0, 10)}` : ""})`;
}

/** The findings of the `credentialAuthorizations` source. */
export async function credentialAuthorizationFindings(client: GitHubClient, org: OrganizationConfig): Promise<EvidenceFinding[]> {
  const login = org.login;
  const url = `${webRoot(org.githubUrl)}/orgs/${login}/people`;
  const all: Authorization[] = [];
  try {
    for await (const page of client.paginate.iterator({
      method: "GET",
      url: "/orgs/{org}/credential-authorizations",
      org: login,
      per_page: 100,
    }))
      all.push(...(page.data as Authorization[]));
  } catch (e) {
    const refused = refusal(
      (e as { status?: number }).status,
      ROUTE,
      "organization_administration: read",
      "credential authorizations exist only for organizations on GitHub Enterprise Cloud with SAML single sign-on.",
    );
    if (!refused) throw e;
    return (["classicTokens", "classicMaxLifetimeDays"] as const).map((setting) => ({
      setting,
      source: "credentialAuthorizations",
      status: "not checkable here",
      text: refused,
      links: [],
    }));
  }
  const classic = all.filter((a) => a.credential_type === CLASSIC);
  const finding = (setting: EvidenceFinding["setting"], status: EvidenceFinding["status"], text: string): EvidenceFinding => ({
    setting,
    source: "credentialAuthorizations",
    status,
    text,
    links: [url],
  });
  const n = classic.length;
  const some = `${n} classic token${n === 1 ? " is" : "s are"} authorized for single sign-on`;

  let restriction: EvidenceFinding;
  if (org.patPolicy.classicTokens === "restrict") {
    restriction = n
      ? finding(
          "classicTokens",
          "contradicted",
          `${some} although classic tokens are declared restricted: ${classic.slice(0, LISTED).map(describe).join(", ")}${n > LISTED ? ", …" : ""}.`,
        )
      : finding(
          "classicTokens",
          "holds",
          "No classic token is authorized for single sign-on, which a classic token needs to reach this organization.",
        );
  } else {
    restriction = n
      ? finding("classicTokens", "holds", `${some}.`)
      : finding("classicTokens", "not checkable here", "No classic token is authorized for single sign-on: that fits either value.");
  }

  const max = org.patPolicy.classicMaxLifetimeDays;
  let lifetime: EvidenceFinding;
  if (max === undefined)
    lifetime = finding("classicMaxLifetimeDays", "not checkable here", "No limit is declared, so there is nothing to contradict.");
  else if (n === 0)
    lifetime = finding("classicMaxLifetimeDays", "not checkable here", "No classic token is authorized for single sign-on to measure.");
  else {
    const over: { a: Authorization; days: number }[] = [];
    let unreadable = 0;
    for (const a of classic) {
      const expires = a.authorized_credential_expires_at;
      if (!isIsoTimestamp(a.credential_authorized_at) || (expires !== null && !isIsoTimestamp(expires))) unreadable++;
      else if (expires === null) over.push({ a, days: Infinity });
      else {
        const days = daysBetween(Date.parse(a.credential_authorized_at), Date.parse(expires));
        if (days > max) over.push({ a, days });
      }
    }
    over.sort((x, y) => y.days - x.days);
    const unread = unreadable ? ` ${unreadable} could not be read.` : "";
    lifetime = over.length
      ? finding(
          "classicMaxLifetimeDays",
          "contradicted",
          `${over.length} of ${n} authorized classic token${n === 1 ? "" : "s"} outlive${over.length === 1 ? "s" : ""} ${max} days, worst first: ${over
            .slice(0, LISTED)
            .map(({ a, days }) => `${describe(a)} ${days === Infinity ? "never expires" : `expires ${days} days after its authorization`}`)
            .join(
              "; ",
            )}${over.length > LISTED ? "; …" : ""}. Counted from the authorization, which comes after creation, so each listed token certainly exceeds the limit (unless administrators are exempt and the owner is one).${unread}`,
        )
      : unreadable
        ? finding(
            "classicMaxLifetimeDays",
            "not checkable here",
            `No authorized classic token is known to outlive ${max} days, but${unread}`,
          )
        : finding(
            "classicMaxLifetimeDays",
            "holds",
            `Every authorized classic token (${n}) expires within ${max} days of its authorization.`,
          );
  }
  return [restriction, lifetime];
}
