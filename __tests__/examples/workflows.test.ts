import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";

const dir = join(__dirname, "..", "..", "examples", "workflows");
const files = readdirSync(dir).filter((f) => f.endsWith(".yml"));

describe("example workflows", () => {
  test("the validator rejects a broken workflow (so the checks below can fail)", () => {
    expect(validateWorkflow("on: push\njobs:\n  a:\n    runs-on: x\n    stepz: []\n").errors).not.toEqual([]);
  });

  test("there are workflows to check", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  test.each(files)("%s is valid against SchemaStore's workflow schema", (file) => {
    expect(validateWorkflow(readFileSync(join(dir, file), "utf8")).errors).toEqual([]);
  });

  test.each(files)("%s pins every action to a commit and grants least permissions", (file) => {
    const wf = parse(readFileSync(join(dir, file), "utf8"));
    expect(wf.permissions).toEqual({});
    for (const [name, job] of Object.entries<any>(wf.jobs)) {
      expect([name, typeof job.permissions]).toEqual([name, "object"]);
      for (const step of job.steps ?? []) {
        if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      }
    }
  });

  test.each([
    ["deploy.yml", "deploy", "npx cdktf deploy \"$ORG\" --auto-approve"],
    ["pull-request.yml", "plan", "npx cdktf diff \"$ORG\""],
  ])("%s runs one job per organization from `orgs --json`, each with only its own token and inputs", (file, jobName, command) => {
    const wf = parse(readFileSync(join(dir, file), "utf8"));
    const job = wf.jobs[jobName];
    const producer = wf.jobs[job.needs];
    // The matrix comes from the CLI, not a list written into the workflow.
    expect(producer.steps.map((s: any) => s.run ?? "").join("\n")).toContain("npm run -s cli -- orgs --json");
    expect(job.strategy["fail-fast"]).toBe(false);
    expect(job.strategy.matrix.org).toBe(`\${{ fromJSON(needs.${job.needs}.outputs.matrix) }}`);
    // Each organization's secrets live in its own environment.
    expect(job.environment).toBe("${{ matrix.org.environment }}");
    const mint = job.steps.find((s: any) => String(s.uses).startsWith("actions/create-github-app-token@"));
    expect(mint.with.owner).toBe("${{ matrix.org.login }}");
    expect(mint.with["github-api-url"]).toBe("${{ matrix.org.apiUrl }}");
    // No organization's TF_VAR_ is written into the workflow; the job exports its own.
    expect(JSON.stringify(job)).not.toMatch(/TF_VAR_/);
    expect(job.steps.map((s: any) => s.run ?? "").join("\n")).toContain('orgs --org "$ORG" --export-inputs >> "$GITHUB_ENV"');
    expect(job.steps.at(-1).run).toBe(command);
  });

  test("token-requests.yml reviews and verifies every organization in one run, each with its own App", () => {
    const wf = parse(readFileSync(join(dir, "token-requests.yml"), "utf8"));
    expect(wf.jobs.review.steps.at(-1).run).toContain("npm run -s cli -- review --all");
    const verifyStep = wf.jobs.verify.steps.find((s: any) => s.run?.includes("verify --all"));
    expect(verifyStep.run).toBe("npm run -s cli -- verify --all --evidence-out pat-policy-evidence.md");
    // The evidence is kept as an artifact, on drift (a failed step) too.
    expect(wf.jobs.verify.steps.at(-1)).toMatchObject({ if: "always()", uses: expect.stringMatching(/^actions\/upload-artifact@[0-9a-f]{40}$/), with: { path: "pat-policy-evidence.md" } });
    for (const step of [wf.jobs.review.steps.at(-1), verifyStep]) {
      expect(step.env).toMatchObject({ TOKEN_POLICY_VARS_JSON: "${{ toJSON(vars) }}", TOKEN_POLICY_SECRETS_JSON: "${{ toJSON(secrets) }}" });
    }
    for (const job of [wf.jobs.review, wf.jobs.verify]) expect(job.strategy).toBeUndefined();
  });
});
