/**
 * Where a stack keeps its Terraform state, from a config `backend` block: shared by
 * `OrganizationStack` and `EnterpriseStack`, keyed per stack by its name.
 */
import * as path from "node:path";
import { App, CloudBackend, GcsBackend, LocalBackend, NamedCloudWorkspace, PgBackend, S3Backend, type TerraformStack } from "cdktf";
import type { BackendConfig } from "../config/schema";
import { defaultStateKeys } from "../naming";
import { requireTerraform } from "./terraform-requirements";

/**
 * Configures `stack`'s backend. `name` (an organization's login, `enterprise-SLUG`) keys the
 * state where the block names no key: `terraform.<name>.tfstate`, `github-token-policy/<name>…`.
 */
export function configureStackBackend(stack: TerraformStack, backend: BackendConfig, name: string): void {
  const keys = defaultStateKeys(name);
  switch (backend.type) {
    case "local": {
      // Terraform resolves the path from the stack's directory, cdktf.out/stacks/<id>; a
      // relative path keeps machine paths out of the synthesized files.
      const stackDir = path.join(App.of(stack).outdir, "stacks", stack.node.id);
      const file = path.resolve(backend.path ?? keys.localPath);
      new LocalBackend(stack, { path: path.relative(path.resolve(stackDir), file).split(path.sep).join("/") });
      return;
    }
    case "s3": {
      const s3 = new S3Backend(stack, {
        bucket: backend.bucket,
        key: backend.key ?? keys.s3Key,
        region: backend.region,
        encrypt: backend.encrypt,
        dynamodbTable: backend.dynamodbTable,
        // Terraform 1.10 removed the top-level role_arn; the role goes in assume_role {}.
        assumeRole: backend.roleArn ? { roleArn: backend.roleArn } : undefined,
      });
      if (backend.roleArn) requireTerraform(stack, "s3_assume_role");
      // S3-native locking (Terraform ≥ 1.10); cdktf 0.21's S3Backend predates the option.
      if (backend.useLockfile) {
        s3.addOverride("use_lockfile", true);
        requireTerraform(stack, "s3_use_lockfile");
      }
      return;
    }
    case "gcs":
      new GcsBackend(stack, { bucket: backend.bucket, prefix: backend.prefix ?? keys.gcsPrefix });
      return;
    case "cloud":
      if (backend.project) requireTerraform(stack, "cloud_workspace_project");
      new CloudBackend(stack, {
        organization: backend.organization,
        hostname: backend.hostname,
        workspaces: new NamedCloudWorkspace(backend.workspace ?? keys.cloudWorkspace, backend.project),
      });
      return;
    case "pg": {
      // The connection string holds a password: Terraform reads it from PG_CONN_STR.
      const pg = new PgBackend(stack, { connStr: "", schemaName: backend.schemaName ?? keys.pgSchema });
      pg.addOverride("conn_str", undefined);
      return;
    }
  }
}
