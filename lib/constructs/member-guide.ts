import { Construct } from "constructs";
import { RepositoryFile } from "@cdktf/provider-github/lib/repository-file";
import type { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { DEFAULT_GUIDE_PATH, guidePathProblem, type OrganizationConfig } from "../config/schema";
import type { EnterpriseBounds } from "../config/effective-policy";
import { memberGuideMarkdown } from "../model/guide-text";
import { requireGithubProvider } from "./terraform-requirements";
import { OrganizationStack } from "./organization-stack";
import { providerOwnerPrecondition } from "./owner-precondition";
import { lookUpRepository } from "./repository-lookup";
import { inputPreconditionsOf } from "./variable-preconditions";
import { terraformLiteral } from "./terraform-literal";

/** Props of {@link MemberGuide}. */
export interface MemberGuideProps {
  /**
   * The organization entry the guide describes, as the loader returns it (its `patPolicy` the
   * effective policy).
   * @default - the loaded entry of the enclosing OrganizationStack (`OrganizationStack.fromConfig`)
   */
  readonly organization?: OrganizationConfig;
  /**
   * The enterprise that owns the organization: the guide says which limits are its doing.
   * @default - the enclosing OrganizationStack's, else none
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
   * Let `path` name a file under `.github/` other than workflows and CODEOWNERS, which are never
   * allowed: every deploy overwrites the file, and GitHub reads those as configuration.
   * @default false
   */
  readonly allowGitHubPaths?: boolean;
  /**
   * The stack's provider, when several share an app.
   * @default - the stack's default provider
   */
  readonly provider?: GithubProvider;
  /**
   * Where the repository is named in the config (`organizations[0].guide.repository`), for
   * deploy-time messages.
   * @default - the construct's path
   */
  readonly configPath?: string;
}

/**
 * The token guide for members, kept in a repository of the organization where members look
 * (its `.github` repository, say), by `github_repository_file`. Its content comes from the same
 * synth as the policy, so `cdktf deploy` updates the guide whenever a rule changes. The deploy
 * token needs `contents: write` on that repository. The repository is looked up at plan: a
 * missing one fails the plan naming its place in the config, where the provider would plan the
 * file as an in-place "rename".
 */
export class MemberGuide extends Construct {
  /** The guide's Markdown, as committed. */
  public readonly guideContent: string;
  /** The file resource. */
  public readonly guideFile: RepositoryFile;

  constructor(scope: Construct, id: string, props: MemberGuideProps) {
    super(scope, id);
    requireGithubProvider(this);
    const path = props.path ?? DEFAULT_GUIDE_PATH;
    const problem = guidePathProblem(path, props.allowGitHubPaths);
    if (problem) throw new Error(`MemberGuide: path ${JSON.stringify(path)} ${problem} (${this.node.path})`);
    const stack = OrganizationStack.tryOf(this);
    const organization = props.organization ?? stack?.organizationConfig;
    if (!organization)
      throw new Error(`MemberGuide: organization is required outside an OrganizationStack built from a config entry (${this.node.path})`);
    this.guideContent = memberGuideMarkdown(organization, props.enterprise ?? stack?.enterprise);
    const login = organization.login;
    const repository = lookUpRepository(this, {
      organizationLogin: login,
      repositoryName: props.repository,
      configPlace: props.configPath ?? `${this.node.path}.repository`,
      provider: props.provider,
    });
    this.guideFile = new RepositoryFile(this, "file", {
      repository: terraformLiteral(props.repository),
      file: terraformLiteral(path),
      branch: props.branch === undefined ? undefined : terraformLiteral(props.branch),
      content: terraformLiteral(this.guideContent),
      commitMessage: terraformLiteral(`Token guide for ${login}, from its token policy`),
      // The guide is the policy's: a hand-made file at that path is replaced, not an error.
      overwriteOnCreate: true,
      // Planned only when every input check, the owner check and the lookup pass: a failed one
      // prints no partial plan.
      dependsOn: [inputPreconditionsOf(this), providerOwnerPrecondition(this, login, props.provider), repository],
      provider: props.provider,
    });
  }
}
