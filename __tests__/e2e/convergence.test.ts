/**
 * The fault matrix: every write of the example's acme-corp stack failing once, on the first
 * deploy and on a key rotation, with real Terraform and the provider-free cut. Each github
 * resource is a `terraform_data` stand-in that keeps its `depends_on`, its references and its
 * `replace_triggered_by`; its "write to GitHub" is a provisioner that appends the arguments it
 * sends to a log (the stand-in GitHub) and fails once when told. A stand-in whose resource would
 * be replaced logs an emptied repository list when destroyed, as the provider's delete of a
 * `…_secret_repositories` resource does (`PUT …/repositories []`).
 *
 * What the real provider does beyond this (6.13.0 records a secret's new value in state although
 * GitHub refused it) is played by a dropped write (`drops/<name>`): the last test shows what the
 * next plan says then, that Terraform alone does not send the key again, and that sealing it again
 * does (README, "a plan that updates the `…_written` witness while the secret itself shows no change").
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { loadConfig } from "../../lib/config/load";
import { enterpriseOf } from "../../lib/config/effective-policy";
import { OrganizationStack } from "../../lib/constructs/organization-stack";
import { OrgTokenPolicy } from "../../lib/constructs/org-token-policy";
import { terraform, terraformBinary, terraformDir, withoutProvider } from "../../test-support/terraform";

const withTerraform = terraformBinary() ? describe : describe.skip;

/** Arguments a stand-in sends, as the resource would. */
const SENT = ["value_encrypted", "key_id", "value", "selected_repository_ids", "selected_repositories", "visibility", "content"];

/** The example's acme-corp stack, cut to stand-ins whose writes are logged to `log` and fail once when `faults/<name>` exists. */
function standInStack(dir: string): any {
  const loaded = loadConfig(join(__dirname, "..", "..", "token-policy.yaml"));
  const i = loaded.config.organizations.findIndex((o) => o.login === "acme-corp");
  const org = loaded.config.organizations[i];
  const stack = new OrganizationStack(Testing.app(), org.login, {
    organizationLogin: org.login,
    githubUrl: org.githubUrl,
    backend: org.backend,
  });
  OrgTokenPolicy.fromConfig(stack, "token-policy", org, {
    configPath: `organizations[${i}]`,
    enterprise: enterpriseOf(loaded.config, org),
  });
  const cut = withoutProvider(JSON.parse(Testing.synth(stack)), { backend: "local", standIns: true, standInArguments: SENT });
  // Repository ids, looked up at plan by the real stack, are fixed numbers in the cut.
  const out = cut;
  for (const [name, r] of Object.entries(out.resource.terraform_data as Record<string, any>)) {
    if (!name.startsWith("github_")) continue;
    const replaced = Boolean(r.lifecycle?.replace_triggered_by);
    r.triggers_replace = r.input; // every change is a write: a create, so the provisioner runs
    r.provisioner = [
      {
        "local-exec": {
          // faults/<name>: GitHub answers 502 and the write fails; drops/<name>: GitHub never gets the
          // write but the resource records it (provider 6.13.0 after a refused secret update).
          command: `if [ -e "${dir}/faults/${name}" ]; then rm -f "${dir}/faults/${name}"; echo "stand-in GitHub: 502 on ${name}" >&2; exit 1; fi; if [ -e "${dir}/drops/${name}" ]; then rm -f "${dir}/drops/${name}"; exit 0; fi; printf '%s\\t%s\\n' "${name}" "$SENT" >> "${dir}/github.log"`,
          environment: { SENT: "${jsonencode(self.input)}" },
        },
      },
      ...(replaced
        ? [
            {
              "local-exec": {
                when: "destroy",
                command: `printf '%s\\t%s\\n' "${name}" '{"selected_repository_ids":[]}' >> "${dir}/github.log"`,
              },
            },
          ]
        : []),
    ];
  }
  return out;
}

/** Every write the stand-in GitHub received, in order. */
function writes(dir: string): { name: string; sent: any }[] {
  const file = join(dir, "github.log");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const [name, sent] = line.split("\t");
      return { name, sent: JSON.parse(sent) };
    });
}

/** What the stand-in GitHub holds: the last write of each resource. */
function held(dir: string): Record<string, any> {
  return Object.fromEntries(writes(dir).map((w) => [w.name, w.sent]));
}

/** What the stack declares: each stand-in's input in state. */
function declared(dir: string): Record<string, any> {
  const r = spawnSync("terraform", ["show", "-json"], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH, CHECKPOINT_DISABLE: "1" },
  });
  const resources = JSON.parse(r.stdout).values?.root_module?.resources ?? [];
  return Object.fromEntries(
    resources.filter((x: any) => x.name.startsWith("github_")).map((x: any) => [x.name, JSON.parse(JSON.stringify(x.values.input))]),
  );
}

const sealed = (n: number) => `key-${n}:${Buffer.alloc(1750, n).toString("base64")}`;
const inputs = (generation: number) => ({
  TF_VAR_acme_corp_app_id: "123456",
  TF_VAR_acme_corp_app_client_id: "Iv23liAbCdEfGh123456",
  TF_VAR_acme_corp_app_installation_id: "987654",
  TF_VAR_acme_corp_app_private_key_actions_sealed: sealed(10 * generation + 1),
  TF_VAR_acme_corp_app_private_key_dependabot_sealed: sealed(10 * generation + 2),
  TF_VAR_acme_corp_app_private_key_env_release_tools__production_sealed: sealed(10 * generation + 3),
});

const isList = (name: string) => /_secret_repositories__/.test(name);
const SECRETS = /^github_(actions|dependabot)_organization_secret__/;

withTerraform("the fault matrix: every write failing once", () => {
  const names = Object.keys(standInStack("/x").resource.terraform_data).filter((n) => n.startsWith("github_"));

  test("the stack has the writes the matrix covers", () => {
    expect(names.filter(isList)).toHaveLength(2);
    expect(names.filter((n) => SECRETS.test(n))).toHaveLength(2);
    expect(names.length).toBeGreaterThanOrEqual(8);
  });

  describe.each(["the first deploy", "a key rotation"])("%s", (phase) => {
    test.each(names)(
      "with %s failing once: no list is emptied, and the next apply converges",
      (failing) => {
        // GIVEN the stack, deployed once when the phase is a rotation
        const dir = terraformDir({});
        writeFileSync(join(dir, "main.tf.json"), JSON.stringify(standInStack(dir), null, 2));
        spawnSync("mkdir", ["-p", join(dir, "faults")]);
        expect(terraform(dir, ["init", "-input=false"]).status).toBe(0);
        const generation = phase === "a key rotation" ? 2 : 1;
        if (generation === 2) expect(terraform(dir, ["apply", "-auto-approve", "-input=false"], inputs(1)).status).toBe(0);
        const before = writes(dir).length;
        // WHEN that write fails once during the apply
        writeFileSync(join(dir, "faults", failing), "");
        const faulty = terraform(dir, ["apply", "-auto-approve", "-input=false"], inputs(generation));
        const wasWritten = faulty.output.includes(`stand-in GitHub: 502 on ${failing}`);
        expect(faulty.status).toBe(wasWritten ? 1 : 0);
        // THEN no repository list was emptied as a side effect of anything
        expect(writes(dir).filter((w) => isList(w.name) && w.sent.selected_repository_ids?.length === 0)).toEqual([]);
        // AND a list was written only after its secret's write in the same apply succeeded
        const during = writes(dir).slice(before);
        for (const [i, w] of during.entries()) {
          if (!isList(w.name)) continue;
          const secret = w.name.replace("_repositories__", "__").replace(/_repositories_[0-9A-F]+$/, "");
          expect(during.slice(0, i).some((x) => x.name.startsWith(secret.split("__")[0] + "__"))).toBe(true);
        }
        // AND the next apply finishes the work: GitHub holds what the stack declares, and a plan shows nothing more
        const next = terraform(dir, ["apply", "-auto-approve", "-input=false"], inputs(generation));
        expect(next.status).toBe(0);
        expect(held(dir)).toEqual(declared(dir));
        expect(Object.keys(held(dir)).sort()).toEqual([...names].sort());
        const plan = terraform(dir, ["plan", "-input=false", "-detailed-exitcode"], inputs(generation));
        expect(plan.output).toMatch(/No changes/);
        expect(plan.status).toBe(0);
      },
      240_000,
    );
  });
});

withTerraform("a key GitHub refused while the provider recorded it (6.13.0)", () => {
  test("the next plan shows the witness lagging, and sealing again sends the key in place, its list after it, no list emptied", () => {
    // GIVEN the stack deployed with the first key
    const dir = terraformDir({});
    const tf = standInStack(dir);
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(tf, null, 2));
    spawnSync("mkdir", ["-p", join(dir, "faults"), join(dir, "drops")]);
    expect(terraform(dir, ["init", "-input=false"]).status).toBe(0);
    expect(terraform(dir, ["apply", "-auto-approve", "-input=false"], inputs(1)).status).toBe(0);
    const names = Object.keys(tf.resource.terraform_data);
    const secret = names.find((n) => /^github_actions_organization_secret__/.test(n))!;
    const list = names.find((n) => /^github_actions_organization_secret_repositories__/.test(n))!;
    const witness = names.find((n) => /private_key_written/.test(n) && !/dependabot/.test(n))!;
    const sent = (generation: Record<string, string>) => generation.TF_VAR_acme_corp_app_private_key_actions_sealed.split(":")[1];
    // WHEN a rotation's secret write reaches state but not GitHub, and the apply stops there (as 6.13.0 leaves it)
    writeFileSync(join(dir, "drops", secret), "");
    expect(terraform(dir, ["apply", "-auto-approve", "-input=false", `-target=terraform_data.${secret}`], inputs(2)).status).toBe(0);
    expect(held(dir)[secret].value_encrypted).toBe(sent(inputs(1)));
    // THEN the next plan leaves the secret alone and updates its witness: the sign that the key may not have reached GitHub
    const plan = terraform(dir, ["plan", "-input=false"], inputs(2));
    expect(plan.output).toContain(`terraform_data.${witness} will be updated in-place`);
    expect(plan.output).not.toContain(`terraform_data.${secret} must be replaced`);
    // AND applying it as it is writes the list again but not the key: Terraform alone cannot send it
    expect(terraform(dir, ["apply", "-auto-approve", "-input=false"], inputs(2)).status).toBe(0);
    expect(held(dir)[secret].value_encrypted).toBe(sent(inputs(1)));
    // WHEN the key is sealed again (a new sealed box) and applied
    const resealed = { ...inputs(2), TF_VAR_acme_corp_app_private_key_actions_sealed: sealed(99) };
    const before = writes(dir).length;
    expect(terraform(dir, ["apply", "-auto-approve", "-input=false"], resealed).status).toBe(0);
    // THEN GitHub holds the new key, written in place, and the list was written after it and never emptied
    const during = writes(dir).slice(before);
    expect(held(dir)[secret].value_encrypted).toBe(sent(resealed));
    expect(during.findIndex((w) => w.name === list)).toBeGreaterThan(during.findIndex((w) => w.name === secret));
    expect(writes(dir).filter((w) => isList(w.name) && w.sent.selected_repository_ids?.length === 0)).toEqual([]);
    // AND the next plan shows nothing more
    const after = terraform(dir, ["plan", "-input=false", "-detailed-exitcode"], resealed);
    expect(after.output).toMatch(/No changes/);
  }, 240_000);
});
