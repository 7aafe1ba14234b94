import * as fs from "node:fs";
import * as path from "node:path";
import { Construct } from "constructs";
import { TerraformOutput, TerraformStack, type ISynthesisSession } from "cdktf";
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
import { AppInstallationRepositories } from "@cdktf/provider-github/lib/app-installation-repositories";
import type { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { buildAppManifest, manifestJson, type AppManifest, type AppManifestInput } from "../model/app-manifest";
import { organizationContext, stackVariable } from "./organization-stack";
import { DeclaredValue } from "./declared-value";
import { addInputPrecondition, numericIdPrecondition } from "./variable-preconditions";
import { installationSettingsUrl, newAppUrl, variableNames } from "../naming";
import { forgetWithoutDestroying, logicalIdOf, requireGithubProvider } from "./terraform-requirements";
import { providerOwnerPrecondition } from "./owner-precondition";
import { lookUpRepository } from "./repository-lookup";
import { inputPreconditionsOf } from "./variable-preconditions";
import { terraformLiteral, terraformLiteralOrToken, terraformLiterals } from "./terraform-literal";

/** File name of the manifest in the stack's output directory. */
export const APP_MANIFEST_FILE = "app-manifest.json";

/** Construct id of the installation's repository selection: part of its Terraform address. */
const INSTALLATION_REPOSITORIES_ID = "installation_repositories";

/** Props of {@link GitHubApp}: the manifest's inputs, plus where the App lives and is installed. */
export interface GitHubAppProps extends AppManifestInput {
  /**
   * The organization that owns the App.
   * @default - the login of the enclosing OrganizationStack
   */
  readonly organizationLogin?: string;
  /**
   * Web root of the GitHub instance.
   * @default - the enclosing OrganizationStack's, else "https://github.com"
   */
  readonly githubUrl?: string;
  /**
   * The installation's id. When absent, the Terraform variable
   * `<org>_app_installation_id` supplies it at deploy time (empty: repositories not managed yet).
   * @default - from the variable
   */
  readonly installationId?: number;
  /**
   * Repositories the installation reaches. `all` is chosen when installing and cannot be set
   * through the API; a list is managed by `github_app_installation_repositories`, which needs
   * a classic PAT of an organization owner (installation tokens get 403).
   * @default "all"
   */
  readonly installationRepositories?: "all" | readonly string[];
  /**
   * The stack's provider, when several share an app.
   * @default - the stack's default provider
   */
  readonly provider?: GithubProvider;
  /**
   * Where the installation's repositories are named in the config
   * (`organizations[0].app.installation.repositories`), for deploy-time messages.
   * @default - the construct's path
   */
  readonly configPath?: string;
}

/**
 * A GitHub App for automation: its manifest and its installation's repository selection.
 *
 * No API or Terraform resource registers an App; GitHub's manifest flow does, with one click of
 * an owner. This construct builds the manifest from typed props and writes it, byte-stable, to
 * `cdktf.out/stacks/<stack>/app-manifest.json` for `create-app` and for review. It also records
 * the manifest in a `terraform_data` resource, so a permission change shows in `cdktf diff`
 * (GitHub applies it only after an owner accepts it). When the installation reaches selected
 * repositories, it manages that list; each repository is looked up at plan, and a missing one
 * fails the plan naming its place in the config.
 */
export class GitHubApp extends Construct {
  /** The manifest, as GitHub's manifest flow takes it. */
  public readonly appManifest: AppManifest;
  /** Where an owner registers the App from the manifest. */
  public readonly appRegistrationUrl: string;
  /**
   * The installation id: the configured number, or the variable's token when the installation's
   * repositories are managed; undefined when neither.
   */
  public readonly appInstallationId?: string;
  /** The repository selection resource, when the installation reaches selected repositories. */
  public readonly appInstallationRepositories?: AppInstallationRepositories;

  constructor(scope: Construct, id: string, props: GitHubAppProps) {
    super(scope, id);
    const { login, githubUrl } = organizationContext(this, props, "GitHubApp");
    this.appManifest = buildAppManifest(props);
    this.appRegistrationUrl = newAppUrl(login, githubUrl);
    requireGithubProvider(this);
    const bytes = manifestJson(this.appManifest);
    const stackId = TerraformStack.of(this).node.id;
    addCustomSynthesis(this, {
      onSynthesize(session: ISynthesisSession) {
        const dir = path.join(session.outdir, "stacks", stackId);
        // cdktf made the stack's folder before this runs; a mkdir of a folder that exists costs
        // as much as making one (a quarter of a millisecond a stack here).
        if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, APP_MANIFEST_FILE), bytes);
      },
    });

    new DeclaredValue(this, "manifest", { manifest: bytes });
    new TerraformOutput(this, "registration_url", {
      value: terraformLiteral(this.appRegistrationUrl),
      description: `Register the App here with \`token-policy create-app --org ${login}\`.`,
    }).overrideLogicalId("app_registration_url");

    const repos = props.installationRepositories ?? "all";
    if (repos !== "all" && repos.length === 0) {
      throw new Error(`GitHubApp: installationRepositories must list at least one repository or be "all" (${this.node.path})`);
    }
    if (props.installationId !== undefined) this.appInstallationId = String(props.installationId);
    if (repos === "all") {
      // "All repositories" is chosen at install time. A selection this stack managed before is
      // taken out of state, never destroyed: the provider's delete would remove every
      // repository of the installation but one.
      const placeholder = new Construct(this, INSTALLATION_REPOSITORIES_ID);
      forgetWithoutDestroying(this, `github_app_installation_repositories.${logicalIdOf(placeholder)}`);
      new TerraformOutput(this, "installation_owner_step", {
        value: terraformLiteral(
          `An organization owner chooses "All repositories" for the ${props.name} App at ${installationSettingsUrl(login, githubUrl)}; Terraform does not manage the selection.`,
        ),
        description: "The step an owner takes for an installation that reaches all repositories (no API sets it).",
      }).overrideLogicalId("app_installation_owner_step");
      return;
    }
    if (props.installationId === undefined) {
      // Required, never empty: an empty or missing id must not plan the destruction of the
      // installation's repository list.
      const name = variableNames(login).installationId;
      const v = stackVariable(this, name, {
        type: "string",
        nullable: false,
        description: `Installation id of the ${props.name} App in ${login}: install the App first (\`token-policy install --org ${login}\` prints the id), then set TF_VAR_${name}, or record it as app.installation.id in the config.`,
      });
      addInputPrecondition(
        this,
        numericIdPrecondition(
          name,
          `the numeric id of the ${props.name} App's installation in ${login}`,
          `\`token-policy install --org ${login}\` prints it; or set app.installation.id in the config.`,
        ),
        false,
      );
      this.appInstallationId = v.stringValue;
    }
    const place = props.configPath ?? `${this.node.path}.installationRepositories`;
    const lookups = repos.map((name, i) =>
      lookUpRepository(this, { organizationLogin: login, repositoryName: name, configPlace: `${place}[${i}]`, provider: props.provider }),
    );
    this.appInstallationRepositories = new AppInstallationRepositories(this, INSTALLATION_REPOSITORIES_ID, {
      installationId: terraformLiteralOrToken(this.appInstallationId!),
      selectedRepositories: terraformLiterals([...repos].sort()),
      // Nothing of the list is planned while an input, the owner or a repository is wrong: an
      // invalid installation id would otherwise print "must be replaced" before the error.
      dependsOn: [inputPreconditionsOf(this), providerOwnerPrecondition(this, login, props.provider), ...new Set(lookups)],
      provider: props.provider,
    });
  }
}
