import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { INPUT_SLOTS } from "../../cli/commands/orgs";

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
    ["deploy.yml", "deploy", "npx cdktf deploy \"$ORG\" --auto-approve", "token-policy-${{ matrix.org.login }}"],
    ["pull-request.yml", "plan", "npm run -s cli -- report --base-ref \"$BASE_SHA\" --org \"$ORG\" --live", "token-policy-plan_${{ matrix.org.login }}"],
  ])("%s runs one job per organization from `orgs --json`, each with only its own token and inputs", (file, jobName, command, environment) => {
    const wf = parse(readFileSync(join(dir, file), "utf8"));
    const job = wf.jobs[jobName];
    const producer = wf.jobs[job.needs];
    // The matrix comes from the CLI, not a list written into the workflow.
    expect(producer.steps.map((s: any) => s.run ?? "").join("\n")).toContain("npm run -s cli -- orgs --json");
    expect(job.strategy["fail-fast"]).toBe(false);
    expect(job.strategy.matrix.org).toBe(`\${{ fromJSON(needs.${job.needs}.outputs.matrix) }}`);
    // Each organization's secrets live in its own environment.
    expect(job.environment).toBe(environment);
    const mint = job.steps.find((s: any) => String(s.uses).startsWith("actions/create-github-app-token@"));
    expect(mint.with.owner).toBe("${{ matrix.org.login }}");
    expect(mint.with["github-api-url"]).toBe("${{ matrix.org.apiUrl }}");
    // No organization's TF_VAR_ is written into the workflow; the job exports its own, each input by name.
    expect(JSON.stringify(job)).not.toMatch(/TF_VAR_/);
    const exporting = job.steps.find((s: any) => String(s.run).includes('orgs --org "$ORG" --export-inputs >> "$GITHUB_ENV"'));
    expect(exporting.env).toMatchObject({
      TOKEN_POLICY_SECRET_NAMES: "${{ join(matrix.org.secrets, ',') }}",
      TOKEN_POLICY_SECRET_1: "${{ matrix.org.secrets[0] && secrets[matrix.org.secrets[0]] || '' }}",
      TOKEN_POLICY_VAR_NAMES: "${{ join(matrix.org.variables, ',') }}",
      TOKEN_POLICY_VAR_3: "${{ matrix.org.variables[2] && vars[matrix.org.variables[2]] || '' }}",
    });
    expect(Object.keys(exporting.env).filter((k) => /^TOKEN_POLICY_SECRET_\d+$/.test(k))).toHaveLength(INPUT_SLOTS.secret);
    expect(Object.keys(exporting.env).filter((k) => /^TOKEN_POLICY_VAR_\d+$/.test(k))).toHaveLength(INPUT_SLOTS.variable);
    expect(job.steps.at(-1).run).toContain(command);
  });

  test.each(["deploy.yml", "pull-request.yml"])("%s fails the job when the stack's provider lock file is not committed", (file) => {
    const wf = parse(readFileSync(join(dir, file), "utf8"));
    const job = wf.jobs[file === "deploy.yml" ? "deploy" : "plan"];
    const runs = job.steps.map((s: any) => `${JSON.stringify(s.env ?? {})}\n${s.run ?? ""}`);
    const check = runs.findIndex((r: string) => r.includes("${{ matrix.org.lockFile }}") && /exit 1/.test(r));
    const terraform = runs.findIndex((r: string) => /cdktf deploy|terraform -chdir/.test(r));
    expect(check).toBeGreaterThanOrEqual(0);
    expect(check).toBeLessThan(terraform);
    // terraform init may not pick another build than the lock file names.
    expect(runs[terraform]).toContain("-lockfile=readonly");
  });

  test("deploy.yml stops before Terraform when an organization that needs the owner's PAT has none, rather than deploy as the App", () => {
    const wf = parse(readFileSync(join(dir, "deploy.yml"), "utf8"));
    const steps = wf.jobs.deploy.steps;
    const deploy = steps.findIndex((s: any) => /cdktf deploy/.test(s.run ?? ""));
    // The deploy falls back to the App's token when the secret is empty: an empty secret must stop the job first.
    expect(steps[deploy].env.GITHUB_TOKEN).toContain("matrix.org.needsOwnerToken && secrets.TOKEN_POLICY_OWNER_PAT ||");
    const check = steps.findIndex((s: any) => s.if === "matrix.org.needsOwnerToken" && s.env?.OWNER_PAT === "${{ secrets.TOKEN_POLICY_OWNER_PAT }}");
    expect(check).toBeGreaterThanOrEqual(0);
    expect(check).toBeLessThan(deploy);
    const run = (pat: string) => spawnSync("bash", ["-e", "-c", steps[check].run], { env: { PATH: process.env.PATH, ORG: "acme-corp", OWNER_PAT: pat }, encoding: "utf8" });
    expect(run("")).toMatchObject({ status: 1, stdout: expect.stringContaining("::error::secret TOKEN_POLICY_OWNER_PAT is missing from environment token-policy-acme-corp") });
    expect(run("set").status).toBe(0);
  });

  test("deploy.yml deploys every enterprise stack in one job without any GitHub token", () => {
    const wf = parse(readFileSync(join(dir, "deploy.yml"), "utf8"));
    const job = wf.jobs.enterprises;
    expect(job.environment).toBe("token-policy-enterprises");
    expect(job.steps.at(-1).run).toContain("-name 'enterprise-*'");
    expect(job.steps.at(-1).run).toContain("npx cdktf deploy $stacks --auto-approve");
    expect(JSON.stringify(job)).not.toMatch(/GITHUB_TOKEN|secrets\.|create-github-app-token/);
  });

  test("token-requests.yml reviews and verifies each organization in its own job, with only its own App's id and key", () => {
    const wf = parse(readFileSync(join(dir, "token-requests.yml"), "utf8"));
    expect(wf.jobs.review.steps.at(-1).run).toContain('npm run -s cli -- review --org "$ORG" "$@"');
    const verifyStep = wf.jobs.verify.steps.find((s: any) => s.run?.includes("-- verify"));
    expect(verifyStep.run).toBe('npm run -s cli -- verify --org "$ORG" --evidence-out pat-policy-evidence.md');
    // The evidence is kept as an artifact per organization, on drift (a failed step) too.
    expect(wf.jobs.verify.steps.at(-1)).toMatchObject({ if: "always()", uses: expect.stringMatching(/^actions\/upload-artifact@[0-9a-f]{40}$/), with: { name: "pat-policy-evidence-${{ matrix.org.login }}", path: "pat-policy-evidence.md" } });
    for (const [job, step] of [[wf.jobs.review, wf.jobs.review.steps.at(-1)], [wf.jobs.verify, verifyStep]]) {
      expect(job.needs).toBe("organizations");
      expect(job.strategy.matrix.org).toBe("${{ fromJSON(needs.organizations.outputs.matrix) }}");
      expect(step.env).toMatchObject({ APP_ID: "${{ vars[matrix.org.appIdVariable] }}", APP_PRIVATE_KEY: "${{ secrets[matrix.org.appKeySecret] }}" });
    }
  });
});

describe("the example workflows' threat model", () => {
  const workflows = files.map((file) => ({ file, text: readFileSync(join(dir, file), "utf8") }));

  test("every example workflow passes", () => {
    expect(workflows.flatMap(({ file, text }) => threats(file, text))).toEqual([]);
    expect(crossWorkflowThreats(workflows)).toEqual([]);
  });

  test("the pull-request workflow has a job that builds the pull request's code, and it holds nothing", () => {
    const jobs = analyse(readFileSync(join(dir, "pull-request.yml"), "utf8"));
    expect(jobs.filter((j) => j.runsPullRequestCode).map((j) => [j.name, j.environment, j.secrets])).toEqual([["build", undefined, []]]);
    expect(jobs.filter((j) => j.secrets.length).map((j) => j.name)).toEqual(["plan"]);
    expect(jobs.find((j) => j.name === "plan")!.secrets).toEqual([
      "secrets.TOKEN_POLICY_READER_PRIVATE_KEY",
      ...Array.from({ length: INPUT_SLOTS.secret }, (_, i) => `secrets[matrix.org.secrets[${i}]]`),
    ]);
  });

  test("fails when a workflow hands over toJSON(secrets) or toJSON(vars)", () => {
    const wf = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n        env:\n          S: ${{ toJSON( secrets ) }}\n          V: ${{ toJson(vars) }}\n";
    expect(threats("x.yml", wf)).toEqual(["x.yml: job a step 1 gets toJSON(secrets)", "x.yml: job a step 1 gets toJSON(vars)"]);
  });

  test("fails when a secret reaches a job that runs the pull request's code", () => {
    const wf = [
      "on: pull_request",
      "jobs:",
      "  a:",
      "    runs-on: x",
      "    steps:",
      "      - uses: actions/checkout@v5",
      "      - run: npm ci",
      "      - run: npm run synth",
      "        env:",
      "          KEY: ${{ secrets.APP_KEY }}",
    ].join("\n");
    expect(threats("x.yml", wf)).toEqual(["x.yml: job a runs the pull request's code (step 2) and receives secrets.APP_KEY"]);
    // The same job reading the pull request only as data, with the base commit's code, passes.
    const safe = wf.replace("      - uses: actions/checkout@v5", "      - uses: actions/checkout@v5\n        with: { ref: '${{ github.event.pull_request.base.sha }}' }");
    expect(threats("x.yml", safe)).toEqual([]);
  });

  test("fails when a pull-request job runs in an environment", () => {
    const wf = "on: pull_request\njobs:\n  a:\n    runs-on: x\n    environment: token-requests\n    steps:\n      - uses: actions/checkout@v5\n      - run: npm test\n";
    expect(threats("x.yml", wf)).toEqual(["x.yml: job a runs the pull request's code (step 2) in environment token-requests"]);
  });

  test("fails when a pull-request job shares an environment with a deploy or approval job", () => {
    const deploy = { file: "d.yml", text: "on: push\njobs:\n  d:\n    runs-on: x\n    environment: token-policy-${{ matrix.org.login }}\n    steps: [{ run: deploy }]\n" };
    const pr = (env: string) => ({ file: "p.yml", text: `on: pull_request\njobs:\n  p:\n    runs-on: x\n    environment: ${env}\n    steps: [{ run: plan }]\n` });
    expect(crossWorkflowThreats([deploy, pr("token-policy-plan-${{ matrix.org.login }}")])).toEqual([
      "p.yml: job p (pull request) uses environment token-policy-plan-${{ matrix.org.login }}, which d.yml job d also uses",
    ]);
    expect(crossWorkflowThreats([deploy, pr("token-policy-plan_${{ matrix.org.login }}")])).toEqual([]);
  });
});

/** What one job is, for the threat model: its triggers, environment, secrets, and whether it runs the pull request's code. */
interface JobFacts {
  readonly name: string;
  readonly pullRequest: boolean;
  readonly environment?: string;
  /** `secrets.X` / `secrets[...]` references anywhere in the job. */
  readonly secrets: string[];
  /** The first step (1-based) that runs the pull request's code, when one does. */
  readonly runsPullRequestCode?: number;
}

const BASE_REF = "${{ github.event.pull_request.base.sha }}";

/** Each job's facts. A step runs the pull request's code when it runs in (or names) a checkout of the pull request, except to read it with git. */
function analyse(text: string): JobFacts[] {
  const wf = parse(text);
  const on = typeof wf.on === "string" ? [wf.on] : Array.isArray(wf.on) ? wf.on : Object.keys(wf.on ?? {});
  const pullRequest = on.some((t: string) => t.startsWith("pull_request"));
  return Object.entries<any>(wf.jobs).map(([name, job]) => {
    const serialized = JSON.stringify(job);
    // The secrets context, not a matrix list named `secrets`: `secrets.X` or `secrets[…]`, one level of brackets inside.
    const secrets = [...serialized.matchAll(/(?<![\w.])secrets(\.[A-Za-z_][\w-]*|\[(?:[^[\]]|\[[^\]]*\])*\])/g)].map((m) => `secrets${m[1]}`);
    const checkouts: { path: string; pr: boolean }[] = [];
    let runsPullRequestCode: number | undefined;
    (job.steps ?? []).forEach((step: any, i: number) => {
      if (String(step.uses ?? "").startsWith("actions/checkout@")) {
        const path = (step.with?.path ?? ".").replace(/\/+$/, "");
        checkouts.push({ path, pr: pullRequest && step.with?.ref !== BASE_REF });
        return;
      }
      const runsHere = (s: any): boolean => {
        if (String(s.uses ?? "").startsWith("./")) return true;
        if (!s.run) return false;
        const dir = (s["working-directory"] ?? ".").replace(/\/+$/, "");
        const nearest = checkouts.filter((c) => c.path === "." || dir === c.path || dir.startsWith(`${c.path}/`)).sort((a, b) => b.path.length - a.path.length)[0];
        if (nearest?.pr && (nearest.path !== "." || !checkouts.some((c) => c.path !== "." && dir.startsWith(c.path)))) return true;
        // Naming a checkout of the pull request in a command, other than git reading it as data.
        const mentioned = String(s.run).replace(/git -C (\S+) (show|ls-tree)\b/g, "");
        return checkouts.some((c) => c.pr && c.path !== "." && new RegExp(`(^|[\\s"'/=])${c.path}/`).test(mentioned));
      };
      if (runsPullRequestCode === undefined && runsHere(step)) runsPullRequestCode = i + 1;
    });
    return { name, pullRequest, environment: job.environment, secrets: [...new Set(secrets)], runsPullRequestCode };
  });
}

/** Every threat one workflow holds, one line each. */
function threats(file: string, text: string): string[] {
  const out: string[] = [];
  const wf = parse(text);
  for (const [name, job] of Object.entries<any>(wf.jobs)) {
    (job.steps ?? []).forEach((step: any, i: number) => {
      for (const what of ["secrets", "vars"]) {
        if (new RegExp(`toJSON\\(\\s*${what}\\s*\\)`, "i").test(JSON.stringify(step))) out.push(`${file}: job ${name} step ${i + 1} gets toJSON(${what})`);
      }
    });
  }
  for (const job of analyse(text)) {
    if (job.runsPullRequestCode === undefined) continue;
    for (const s of job.secrets) out.push(`${file}: job ${job.name} runs the pull request's code (step ${job.runsPullRequestCode}) and receives ${s}`);
    if (job.environment) out.push(`${file}: job ${job.name} runs the pull request's code (step ${job.runsPullRequestCode}) in environment ${job.environment}`);
  }
  return out;
}

/** A job's environment as a pattern: each expression stands for an organization login (letters, digits, hyphens). */
function environmentPattern(environment: string): RegExp {
  const parts = environment.split(/\$\{\{[^}]*\}\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join("[a-z0-9-]+")}$`, "i");
}

/** Pull-request jobs that use an environment a job of another trigger uses. */
function crossWorkflowThreats(workflows: readonly { file: string; text: string }[]): string[] {
  const jobs = workflows.flatMap(({ file, text }) => analyse(text).map((j) => ({ ...j, file })));
  const out: string[] = [];
  for (const pr of jobs.filter((j) => j.pullRequest && j.environment)) {
    // The pull request's environment for a few logins, against every other job's pattern.
    const samples = ["acme", "acme-corp", "plan", "x1"].map((login) => pr.environment!.replace(/\$\{\{[^}]*\}\}/g, login));
    for (const other of jobs.filter((j) => !j.pullRequest && j.environment)) {
      const pattern = environmentPattern(other.environment!);
      if (samples.some((s) => pattern.test(s))) out.push(`${pr.file}: job ${pr.name} (pull request) uses environment ${pr.environment}, which ${other.file} job ${other.name} also uses`);
    }
  }
  return out;
}
