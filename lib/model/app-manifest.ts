/**
 * The GitHub App manifest: what GitHub's manifest flow registers. Pure, shared by the
 * `GitHubApp` construct (which writes it next to the stack) and `create-app`.
 */
import { APP_EVENTS, APP_PERMISSIONS } from "../catalogue";
import { didYouMean } from "../text";

/** Inputs of a manifest. */
export interface AppManifestInput {
  /** App name, unique on the GitHub instance, at most 34 characters. */
  readonly name: string;
  /** The App's homepage (GitHub requires one). */
  readonly homepageUrl: string;
  /** Shown on the App's page. */
  readonly description?: string;
  /** Permission name → level, checked against GitHub's catalogue. */
  readonly permissions?: Readonly<Record<string, string>>;
  /** Webhook events to subscribe to. */
  readonly events?: readonly string[];
  /** Where GitHub delivers webhooks; none means webhooks stay inactive. */
  readonly webhookUrl?: string;
  /** Where GitHub may send a user back from the App's sign-in (the member page's callback). @default none */
  readonly callbackUrls?: readonly string[];
}

/** The manifest GitHub accepts, in the field names of its manifest flow. */
export interface AppManifest {
  readonly name: string;
  readonly url: string;
  readonly description?: string;
  readonly public: false;
  readonly default_permissions: Readonly<Record<string, string>>;
  readonly default_events: readonly string[];
  readonly hook_attributes?: { readonly url: string; readonly active: boolean };
  readonly redirect_url?: string;
  readonly callback_urls?: readonly string[];
  readonly request_oauth_on_install: false;
  readonly setup_on_update: false;
}

/** The event GitHub sends when a fine-grained token is requested (and approved, denied, cancelled). */
export const PAT_REQUEST_EVENT = "personal_access_token_request";

/**
 * Builds the manifest with sorted permissions and events, so equal input gives equal bytes.
 * Throws when a permission, level or event is not in GitHub's catalogue.
 * @param redirectUrl where GitHub sends the owner back with the code (`create-app` sets it)
 */
export function buildAppManifest(input: AppManifestInput, redirectUrl?: string): AppManifest {
  const problems: string[] = [];
  const perms: Record<string, string> = {};
  for (const name of Object.keys(input.permissions ?? {}).sort()) {
    const level = input.permissions![name];
    const levels = APP_PERMISSIONS[name];
    if (!levels) problems.push(`unknown permission ${JSON.stringify(name)}${didYouMean(name, Object.keys(APP_PERMISSIONS))}`);
    else if (!levels.includes(level as never))
      problems.push(`permission ${name} must be one of ${levels.join(", ")}, got ${JSON.stringify(level)}`);
    perms[name] = level;
  }
  // With a webhook and the requests permission, the App asks for the event `serve` decides on.
  const servesRequests = Boolean(input.webhookUrl) && Boolean(input.permissions?.organization_personal_access_token_requests);
  const events = [...new Set([...(input.events ?? []), ...(servesRequests ? [PAT_REQUEST_EVENT] : [])])].sort();
  for (const e of events)
    if (!APP_EVENTS.has(e)) problems.push(`unknown webhook event ${JSON.stringify(e)}${didYouMean(e, [...APP_EVENTS])}`);
  if (problems.length) throw new Error(`GitHubApp ${input.name}: ${problems.join("; ")}`);
  return {
    name: input.name,
    url: input.homepageUrl,
    ...(input.description ? { description: input.description } : {}),
    public: false,
    default_permissions: perms,
    default_events: events,
    ...(input.webhookUrl ? { hook_attributes: { url: input.webhookUrl, active: true } } : {}),
    ...(redirectUrl ? { redirect_url: redirectUrl } : {}),
    ...(input.callbackUrls?.length ? { callback_urls: [...input.callbackUrls] } : {}),
    request_oauth_on_install: false,
    setup_on_update: false,
  };
}

/** The manifest as the bytes written to disk: two-space JSON with a final newline. */
export function manifestJson(manifest: AppManifest): string {
  return JSON.stringify(manifest, null, 2) + "\n";
}
