import { Construct } from "constructs";
import { RepositoryFile } from "@cdktf/provider-github/lib/repository-file";
import type { GithubProvider } from "@cdktf/provider-github/lib/provider";
import type { OrganizationConfig } from "../config/schema";
import type { EnterpriseBounds } from "../config/effective-policy";
import { memberGuide } from "../guide/guide-markdown";
import { requireGithubProvider } from "./terraform-requirements";

/** Props of {@link MemberGuide}. */
export interface MemberGuideProps {
  /** The organization entry the guide describes. */
  readonly organization: OrganizationConfig;
  /**
   * The enterprise that owns the organization: the guide says which limits are its doing.
   * @default - none
   */
  readonly enterprise?: EnterpriseBounds;
  /** Repository of the organization that keeps the guide, e.g. `.github`. */
  readonly repository: string;
  /**
   * Path of the file in that repository.
   * @default "profile/TOKENS.md"
   */
  readonly path?: string;
  /**
   * Branch it is committed to.
   * @default - the repository's default branch
   */
  readonly branch?: string;
  /**
   * The stack's provider, when several share an app.
   * @default - the stack's default provider
   */
  readonly provider?: GithubProvider;
}

/**
 * The token guide for members, kept in a repository of the organization where members look
 * (its `.github` repository, say), by `github_repository_file`. Its content comes from the same
 * synth as the policy, so `cdktf deploy` updates the guide whenever a rule changes. The deploy
 * token needs `contents: write` on that repository.
 */
export class MemberGuide extends Construct {
  /** The guide's Markdown, as committed. */
  public readonly guideContent: string;
  /** The file resource. */
  public readonly guideFile: RepositoryFile;

  constructor(scope: Construct, id: string, props: MemberGuideProps) {
    super(scope, id);
    requireGithubProvider(this);
    this.guideContent = memberGuide(props.organization, props.enterprise);
    this.guideFile = new RepositoryFile(this, "file", {
      repository: props.repository,
      file: props.path ?? "profile/TOKENS.md",
      branch: props.branch,
      content: this.guideContent,
      commitMessage: `Token guide for ${props.organization.login}, from its token policy`,
      // The guide is the policy's: a hand-made file at that path is replaced, not an error.
      overwriteOnCreate: true,
      provider: props.provider,
    });
  }
}
