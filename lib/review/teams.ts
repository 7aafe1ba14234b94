/**
 * Team membership for the approval rules' `teams` key, read through the API as the App
 * (`GET /orgs/{org}/teams/{team_slug}/members`, which needs `members: read`), with GitHub's
 * client injected. One listing per team per run, and only of the teams the rules name; a team
 * GitHub refuses to show (403) or does not know (404) is unreadable, and the decision logic then
 * leaves the request to an owner. Any other failure fails the run, as a failed listing does.
 */
import type { TeamMembership } from "../approval/evaluate";
import type { ApprovalPolicy } from "../approval/evaluate";
import type { GitHubClient } from "../github/client";
import { PAGE } from "./listing";

/** The teams an organization's rules name, lower case, each once. */
export function teamsNamed(policy: ApprovalPolicy): string[] {
  return [...new Set(policy.approval.rules.flatMap((r) => r.match.teams ?? []).map((t) => t.toLowerCase()))];
}

/**
 * The members of an organization's teams, read once per team for the life of the object (one
 * `review` run, one `serve` batch). GitHub lists a team's members with those of its child teams.
 */
export class TeamMembers {
  private readonly read = new Map<string, Promise<ReadonlySet<string> | null>>();

  constructor(
    private readonly client: GitHubClient,
    private readonly login: string,
  ) {}

  /** Members of each of `slugs` (lower-case logins), or null for a team that cannot be read. */
  async of(slugs: readonly string[]): Promise<TeamMembership> {
    const entries = await Promise.all(slugs.map(async (slug) => [slug.toLowerCase(), await this.team(slug.toLowerCase())] as const));
    return new Map(entries);
  }

  private team(slug: string): Promise<ReadonlySet<string> | null> {
    let members = this.read.get(slug);
    if (!members) {
      members = this.list(slug);
      this.read.set(slug, members);
    }
    return members;
  }

  private async list(slug: string): Promise<ReadonlySet<string> | null> {
    const logins = new Set<string>();
    try {
      const pages = this.client.paginate.iterator("GET /orgs/{org}/teams/{team_slug}/members", {
        org: this.login,
        team_slug: slug,
        per_page: PAGE,
      });
      for await (const page of pages) for (const user of page.data) if (user?.login) logins.add(user.login.toLowerCase());
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (status === 403 || status === 404) return null;
      throw e;
    }
    return logins;
  }
}
