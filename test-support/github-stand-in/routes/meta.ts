/** The stand-in's `GET /meta`: which addresses GitHub's services use (no authentication needed). */
import type { GitHubStandIn } from "../server";

/** Adds GitHub's meta operation to `s` (its `hooks` are `s.hookRanges`). */
export function addMetaRoutes(s: GitHubStandIn): void {
  s.route("GET", "/meta", "none", () => ({
    status: 200,
    body: { verifiable_password_authentication: false, hooks: s.hookRanges, web: ["192.30.252.0/22"], api: ["192.30.252.0/22"] },
  }));
}
