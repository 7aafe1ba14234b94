/**
 * Evidence from the organization audit log (`verify.evidence: auditLog`; GitHub Enterprise Cloud
 * only): the latest `personal_access_token.*` and `auto_approve_personal_access_token_requests.*`
 * event for each setting, with who changed it and when.
 *
 * An event is read only as far as GitHub documents it. The approval events carry their value in
 * their name (matched on the name: GitHub's descriptions of `auto_approve_grant_requests_enabled`
 * and `_disabled` read as if swapped). The restriction and expiration-limit events concern
 * fine-grained or classic tokens as `programmatic_access_type` says, whose values GitHub does not
 * document, and `token_expiration` has no documented unit: those events say "changed, value
 * unknown", with the raw fields shown.
 */
import type { OrganizationConfig } from "../config/schema";
import type { GitHubClient } from "../github/client";
import { webRoot } from "../naming";
import { refusal, type EvidenceFinding, type PatPolicySetting } from "./evidence-finding";

/** What an event says: the settings it concerns, and the value when GitHub's description gives it. */
interface Meaning {
  readonly settings: readonly PatPolicySetting[];
  /** The setting's value the event sets (as `patPolicy` writes it); absent: changed, value unknown. */
  readonly value?: string;
  /** What happened, in words. */
  readonly what: string;
}

const RESTRICTION: readonly PatPolicySetting[] = ["fineGrainedTokens", "classicTokens"];
const LIFETIME: readonly PatPolicySetting[] = ["maxLifetimeDays", "classicMaxLifetimeDays"];

/** The events read, by action. Every other action is passed over. */
export const AUDIT_EVENT_MEANINGS: Readonly<Record<string, Meaning>> = {
  "personal_access_token.access_restriction_enabled": { settings: RESTRICTION, what: "access by personal access tokens restricted" },
  "personal_access_token.access_restriction_disabled": { settings: RESTRICTION, what: "access by personal access tokens allowed" },
  "personal_access_token.access_restriction_reset": {
    settings: RESTRICTION,
    what: "the token access restriction left to organizations (enterprise policy reset)",
  },
  "personal_access_token.auto_approve_grant_requests_enabled": {
    settings: ["requireApproval"],
    value: "false",
    what: "fine-grained token requests approved automatically",
  },
  "personal_access_token.auto_approve_grant_requests_disabled": {
    settings: ["requireApproval"],
    value: "true",
    what: "fine-grained token requests need an owner's approval",
  },
  "personal_access_token.auto_approve_grant_requests_reset": {
    settings: ["requireApproval"],
    what: "the approval policy left to organizations (enterprise policy reset)",
  },
  "auto_approve_personal_access_token_requests.enable": {
    settings: ["requireApproval"],
    value: "false",
    what: "fine-grained token requests approved automatically",
  },
  "auto_approve_personal_access_token_requests.disable": {
    settings: ["requireApproval"],
    value: "true",
    what: "fine-grained token requests need an owner's approval",
  },
  "personal_access_token.expiration_limit_set": { settings: LIFETIME, what: "a token lifetime limit set" },
  "personal_access_token.expiration_limit_unset": { settings: LIFETIME, what: "a token lifetime limit removed" },
};

/** The search phrases: one per event category. */
const PHRASES = ["action:personal_access_token", "action:auto_approve_personal_access_token_requests"] as const;
/** Fields shown raw when an event's value is unknown. */
const RAW_FIELDS = ["programmatic_access_type", "token_expiration", "old_token_expiration", "exempt_administrators"] as const;
const ROUTE = "GET /orgs/{org}/audit-log";

type Event = Record<string, unknown> & { action?: unknown };

/** The findings of the `auditLog` source. */
export async function auditLogFindings(client: GitHubClient, org: OrganizationConfig): Promise<EvidenceFinding[]> {
  const login = org.login;
  const settings = [...new Set(Object.values(AUDIT_EVENT_MEANINGS).flatMap((m) => m.settings))];
  const latest = new Map<PatPolicySetting, { event: Event; time: number }>();
  try {
    for (const phrase of PHRASES) {
      const wanted = settings.filter((s) =>
        Object.entries(AUDIT_EVENT_MEANINGS).some(
          ([action, m]) => action.startsWith(`${phrase.slice("action:".length)}.`) && m.settings.includes(s),
        ),
      );
      const seen = new Set<PatPolicySetting>();
      // Newest first: the first event of a setting in this category is its latest here.
      pages: for await (const page of client.paginate.iterator({
        method: "GET",
        url: "/orgs/{org}/audit-log",
        org: login,
        phrase,
        order: "desc",
        per_page: 100,
      })) {
        for (const event of page.data as Event[]) {
          const meaning = typeof event.action === "string" ? AUDIT_EVENT_MEANINGS[event.action] : undefined;
          if (!meaning) continue;
          for (const s of meaning.settings) {
            if (seen.has(s)) continue;
            seen.add(s);
            const time = eventTime(event);
            const before = latest.get(s);
            if (!before || time > before.time) latest.set(s, { event, time });
          }
          if (wanted.every((s) => seen.has(s))) break pages;
        }
      }
    }
  } catch (e) {
    const refused = refusal(
      (e as { status?: number }).status,
      ROUTE,
      "organization_administration: read",
      "the audit log API is for organizations on GitHub Enterprise Cloud, which this one does not seem to be.",
    );
    if (!refused) throw e;
    return settings.map((setting) => ({ setting, source: "auditLog", status: "not checkable here", text: refused, links: [] }));
  }

  const web = webRoot(org.githubUrl);
  return settings.map((setting): EvidenceFinding => {
    const found = latest.get(setting);
    if (!found) {
      return {
        setting,
        source: "auditLog",
        status: "not checkable here",
        text: "No event for it in the audit log's window (the API returns the last three months by default).",
        links: [],
      };
    }
    const { event, time } = found;
    const action = event.action as string;
    const meaning = AUDIT_EVENT_MEANINGS[action];
    const who = typeof event.actor === "string" ? `@${event.actor}` : "an unknown actor";
    const when = time > 0 ? new Date(time).toISOString() : "an unknown time";
    const link = `${web}/organizations/${login}/settings/audit-log?q=${encodeURIComponent(`action:${action}`)}`;
    const said = `Latest event: ${action} (${meaning.what}) by ${who} at ${when}`;
    if (meaning.value === undefined) {
      const raw = RAW_FIELDS.filter((f) => event[f] !== undefined).map((f) => `${f}: ${JSON.stringify(event[f]).slice(0, 60)}`);
      return {
        setting,
        source: "auditLog",
        status: "not checkable here",
        text: `${said}${raw.length ? ` (${raw.join(", ")})` : ""}: changed, value unknown. GitHub does not document which token type this event records (programmatic_access_type) nor the unit of token_expiration.`,
        links: [link],
      };
    }
    const declared = String(org.patPolicy[setting]);
    return {
      setting,
      source: "auditLog",
      status: meaning.value === declared ? "holds" : "contradicted",
      text: `${said}: ${setting} is ${meaning.value}.`,
      links: [link],
    };
  });
}

/** The event's time in milliseconds (`@timestamp`, else `created_at`); 0 when it has neither. */
function eventTime(e: Event): number {
  const t = e["@timestamp"] ?? e.created_at;
  return typeof t === "number" && Number.isFinite(t) ? t : 0;
}
