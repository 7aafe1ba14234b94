/**
 * The cdktf app: load and validate the whole config (nothing is constructed or written when it
 * is wrong), create one stack per organization, synthesize.
 */
import { App } from "cdktf";
import { ConfigError, loadConfig, OrganizationStack, OrgTokenPolicy } from "./lib";

function main(): void {
  let loaded;
  try {
    loaded = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(e.message + "\n");
      process.exit(e.exitCode);
    }
    throw e;
  }
  const app = new App();
  for (const org of loaded.config.organizations) {
    const stack = new OrganizationStack(app, org.login, {
      organizationLogin: org.login,
      githubUrl: org.githubUrl,
      backend: org.backend,
    });
    new OrgTokenPolicy(stack, "token-policy", { organization: org });
  }
  app.synth();
}

main();
