import { spawnSync } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { INPUT_SLOTS } from "../../cli/commands/orgs";
import { PROVIDER_ENVIRONMENT_SWITCHES } from "../../lib/constructs/terraform-requirements";
import { tempDir } from "../../test-support/temp";

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
    ["deploy.yml", "deploy", 'npx cdktf deploy "$ORG" --auto-approve', "token-policy-${{ matrix.org.login }}"],
    [
      "pull-request-review.yml",
      "plan",
      'npm run -s cli -- report --config ../pr/token-policy.yaml --base-file token-policy.yaml --org "$ORG" --live',
      "token-policy-plan_${{ matrix.org.login }}",
    ],
  ])(
    "%s runs one job per organization from `orgs --json`, each with only its own token and inputs",
    (file, jobName, command, environment) => {
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
    },
  );

  test.each(["deploy.yml", "pull-request-review.yml"])("%s fails the job when the stack's provider lock file is not committed", (file) => {
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

  const matrixSteps = files.flatMap((file) =>
    Object.entries<any>(parse(readFileSync(join(dir, file), "utf8")).jobs).flatMap(([name, job]) =>
      (job.steps ?? [])
        .filter((s: any) => /orgs --json/.test(s.run ?? "") && /matrix=/.test(s.run ?? ""))
        .map((s: any) => [`${file} job ${name}`, s.run as string] as const),
    ),
  );

  test("there are matrix steps to check", () => {
    expect(matrixSteps.map(([where]) => where)).toEqual([
      "deploy.yml job organizations",
      "pull-request-review.yml job report",
      "token-requests.yml job organizations",
    ]);
  });

  test.each(matrixSteps)("%s fails the step when `orgs --json` fails, rather than write an empty matrix", (_where, run) => {
    // GIVEN an `npm` that fails the way `orgs --json` does on a broken config
    const bin = tempDir("wf-npm-");
    try {
      writeFileSync(join(bin, "npm"), "#!/bin/sh\necho 'token-policy.yaml: organizations[0].login is required' >&2\nexit 2\n");
      chmodSync(join(bin, "npm"), 0o755);
      const output = join(bin, "output");
      writeFileSync(output, "");
      // WHEN the step runs as Actions runs it (bash -e)
      const result = spawnSync("bash", ["-e", "-c", run], {
        env: { PATH: `${bin}:${process.env.PATH}`, GITHUB_OUTPUT: output },
        encoding: "utf8",
      });
      // THEN the step fails and writes no matrix
      expect(result.status).toBe(2);
      expect(readFileSync(output, "utf8")).toBe("");
      // AND the same step with a working `orgs --json` writes the matrix
      writeFileSync(join(bin, "npm"), '#!/bin/sh\necho \'[{"login":"acme"}]\'\n');
      expect(
        spawnSync("bash", ["-e", "-c", run], { env: { PATH: `${bin}:${process.env.PATH}`, GITHUB_OUTPUT: output }, encoding: "utf8" })
          .status,
      ).toBe(0);
      expect(readFileSync(output, "utf8")).toBe('matrix=[{"login":"acme"}]\n');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  describe("pull-request-review.yml's plan checks the pull request's host before minting any token", () => {
    const wf = parse(readFileSync(join(dir, "pull-request-review.yml"), "utf8"));
    const steps: any[] = wf.jobs.plan.steps;
    const check = steps.findIndex((s) => s.id === "check");
    const base = {
      login: "acme",
      githubUrl: "https://github.com",
      apiUrl: "https://api.github.com",
      secrets: ["ACME_APP_PRIVATE_KEY_ACTIONS_SEALED"],
      variables: ["ACME_APP_ID"],
    };

    /** Runs the check step with `orgs --json --config <pr copy>` answering `prMatrix`. */
    const runCheck = (prMatrix: unknown[]) => {
      const bin = tempDir("wf-check-");
      try {
        writeFileSync(join(bin, "matrix.json"), JSON.stringify(prMatrix));
        writeFileSync(
          join(bin, "npm"),
          `#!/bin/sh\ncase "$*" in *"orgs --json --config ../pr/token-policy.yaml"*) cat '${join(bin, "matrix.json")}';; *) exit 9;; esac\n`,
        );
        chmodSync(join(bin, "npm"), 0o755);
        const output = join(bin, "output");
        writeFileSync(output, "");
        const env = {
          PATH: `${bin}:${process.env.PATH}`,
          GITHUB_OUTPUT: output,
          ORG: "acme",
          BASE_API_URL: base.apiUrl,
          BASE_GITHUB_URL: base.githubUrl,
          BASE_SECRETS: base.secrets.join(","),
          BASE_VARIABLES: base.variables.join(","),
        };
        const result = spawnSync("bash", ["-e", "-c", steps[check].run], { env, encoding: "utf8" });
        return { status: result.status, stdout: result.stdout, output: readFileSync(output, "utf8") };
      } finally {
        rmSync(bin, { recursive: true, force: true });
      }
    };

    test("an organization whose installation lists repositories is planned without a refresh (that read needs an owner's PAT, which no pull request job holds)", () => {
      const plan = steps.find((s) => /terraform -chdir=.* plan /.test(String(s.run)));
      expect(plan.env).toMatchObject({ NEEDS_OWNER_TOKEN: "${{ matrix.org.needsOwnerToken }}" });
      expect(JSON.stringify(plan.env)).not.toMatch(/OWNER_PAT/);
      const planArgs = (needsOwnerToken: string) => {
        const bin = tempDir("wf-plan-");
        try {
          writeFileSync(join(bin, "terraform"), `#!/bin/sh\necho "$*" >> '${join(bin, "calls")}'\n`);
          chmodSync(join(bin, "terraform"), 0o755);
          const result = spawnSync("bash", ["-e", "-c", plan.run], {
            env: { PATH: `${bin}:${process.env.PATH}`, ORG: "acme", NEEDS_OWNER_TOKEN: needsOwnerToken },
            encoding: "utf8",
          });
          expect(result.status).toBe(0);
          return readFileSync(join(bin, "calls"), "utf8").trim().split("\n").at(-1);
        } finally {
          rmSync(bin, { recursive: true, force: true });
        }
      };
      expect(planArgs("true")).toBe("-chdir=cdktf.out/stacks/acme plan -input=false -lock=false -refresh=false");
      expect(planArgs("false")).toBe("-chdir=cdktf.out/stacks/acme plan -input=false -lock=false");
    });

    test("the check reads the base's host from the matrix and comes before every mint", () => {
      expect(steps[check].env).toMatchObject({ BASE_API_URL: "${{ matrix.org.apiUrl }}", BASE_GITHUB_URL: "${{ matrix.org.githubUrl }}" });
      const mints = steps.map((s, i) => (String(s.uses).startsWith("actions/create-github-app-token@") ? i : -1)).filter((i) => i >= 0);
      expect(mints.length).toBeGreaterThan(0);
      for (const i of mints) {
        expect(i).toBeGreaterThan(check);
        expect(steps[i].if).toBe("steps.check.outputs.plan == 'true'");
      }
    });

    test("plans when the pull request keeps the host", () => {
      expect(runCheck([{ ...base, login: "ACME" }])).toMatchObject({ status: 0, output: "plan=true\n" });
    });

    test.each([
      ["githubUrl and apiUrl", { githubUrl: "https://ghes.evil.example", apiUrl: "https://ghes.evil.example/api/v3" }],
      ["apiUrl alone", { apiUrl: "https://api.evil.example" }],
    ])("fails when the pull request changes %s", (_what, moved) => {
      const result = runCheck([{ ...base, ...moved }]);
      expect(result).toMatchObject({ status: 1, output: "" });
      expect(result.stdout).toContain("::error::the pull request moves acme from https://github.com (API https://api.github.com) to");
    });

    test("skips the plan when the pull request removes the organization or changes its inputs", () => {
      expect(runCheck([{ ...base, login: "other" }])).toMatchObject({
        status: 0,
        output: "plan=false\n",
        stdout: expect.stringContaining("removes acme"),
      });
      expect(runCheck([{ ...base, secrets: [...base.secrets, "TOKEN_POLICY_READER_PRIVATE_KEY"] }])).toMatchObject({
        status: 0,
        output: "plan=false\n",
        stdout: expect.stringContaining("changes acme's stack inputs"),
      });
    });
  });

  test("deploy.yml stops before Terraform when an organization that needs the owner's PAT has none, rather than deploy as the App", () => {
    const wf = parse(readFileSync(join(dir, "deploy.yml"), "utf8"));
    const steps = wf.jobs.deploy.steps;
    const deploy = steps.findIndex((s: any) => /cdktf deploy/.test(s.run ?? ""));
    // The deploy falls back to the App's token when the secret is empty: an empty secret must stop the job first.
    expect(steps[deploy].env.GITHUB_TOKEN).toContain("matrix.org.needsOwnerToken && secrets.TOKEN_POLICY_OWNER_PAT ||");
    const check = steps.findIndex(
      (s: any) => s.if === "matrix.org.needsOwnerToken" && s.env?.OWNER_PAT === "${{ secrets.TOKEN_POLICY_OWNER_PAT }}",
    );
    expect(check).toBeGreaterThanOrEqual(0);
    expect(check).toBeLessThan(deploy);
    const run = (pat: string) =>
      spawnSync("bash", ["-e", "-c", steps[check].run], {
        env: { PATH: process.env.PATH, ORG: "acme-corp", OWNER_PAT: pat },
        encoding: "utf8",
      });
    expect(run("")).toMatchObject({
      status: 1,
      stdout: expect.stringContaining("::error::secret TOKEN_POLICY_OWNER_PAT is missing from environment token-policy-acme-corp"),
    });
    expect(run("set").status).toBe(0);
  });

  describe("the deploy and plan steps run terraform without the provider's environment switches", () => {
    const terraformSteps = files.flatMap((file) =>
      Object.entries(parse(readFileSync(join(dir, file), "utf8")).jobs as Record<string, any>).flatMap(([job, j]) =>
        (j.steps as any[])
          .filter((s) => /cdktf (deploy|diff)|terraform -chdir=\S+ (plan|apply)/.test(s.run ?? ""))
          .map((s) => [`${file} ${job}: ${s.name ?? s.run}`, s.run as string] as const),
      ),
    );

    test("there are such steps", () => {
      expect(terraformSteps.map(([what]) => what)).toEqual([
        "deploy.yml deploy: Deploy",
        "deploy.yml enterprises: Deploy every enterprise stack",
        "pull-request-review.yml plan: Terraform plan (the lock file must already hold the provider)",
      ]);
    });

    test.each(terraformSteps.filter(([what]) => !what.includes("enterprises")))("%s unsets every switch before terraform", (_what, run) => {
      // GIVEN every switch set where the step runs, and stand-ins for npx and terraform that record their environment
      const bin = tempDir("wf-bin-");
      const seen = join(bin, "seen");
      for (const tool of ["npx", "terraform"]) {
        writeFileSync(join(bin, tool), `#!/bin/sh\nenv >> "${seen}"\n`);
        chmodSync(join(bin, tool), 0o755);
      }
      const switches = Object.fromEntries(Object.keys(PROVIDER_ENVIRONMENT_SWITCHES).map((name) => [name, "set-by-another-tool"]));
      // WHEN the step's script runs
      const r = spawnSync("bash", ["-e", "-c", run], {
        env: { PATH: `${bin}:${process.env.PATH}`, ORG: "acme-corp", NEEDS_OWNER_TOKEN: "false", ...switches },
        encoding: "utf8",
      });
      expect(r.status).toBe(0);
      // THEN the tools ran, and none of them saw a switch
      const env = readFileSync(seen, "utf8");
      expect(env).toContain("ORG=acme-corp");
      for (const name of Object.keys(switches)) expect(env).not.toContain(`${name}=`);
    });
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
    expect(wf.jobs.verify.steps.at(-1)).toMatchObject({
      if: "always()",
      uses: expect.stringMatching(/^actions\/upload-artifact@[0-9a-f]{40}$/),
      with: { name: "pat-policy-evidence-${{ matrix.org.login }}", path: "pat-policy-evidence.md" },
    });
    for (const [job, step] of [
      [wf.jobs.review, wf.jobs.review.steps.at(-1)],
      [wf.jobs.verify, verifyStep],
    ]) {
      expect(job.needs).toBe("organizations");
      expect(job.strategy.matrix.org).toBe("${{ fromJSON(needs.organizations.outputs.matrix) }}");
      expect(step.env).toMatchObject({
        APP_ID: "${{ vars[matrix.org.appIdVariable] }}",
        APP_PRIVATE_KEY: "${{ secrets[matrix.org.appKeySecret] }}",
      });
    }
  });
});

describe("the example workflows' threat model", () => {
  const workflows = files.map((file) => ({ file, text: readFileSync(join(dir, file), "utf8") }));

  test("every example workflow passes", () => {
    expect(workflows.flatMap(({ file, text }) => threats(file, text))).toEqual([]);
    expect(crossWorkflowThreats(workflows)).toEqual([]);
  });

  test("the pull-request workflow has only a job that builds the pull request's code, and it holds nothing", () => {
    const jobs = analyse(readFileSync(join(dir, "pull-request.yml"), "utf8"));
    expect(jobs.map((j) => [j.name, j.trigger, j.environment, j.secrets, j.runsPullRequestCode])).toEqual([
      ["build", "pull_request", undefined, [], 3],
    ]);
  });

  test("the review workflow runs on pull_request_target, never runs the pull request's code, and plans only for this repository's pull requests", () => {
    const text = readFileSync(join(dir, "pull-request-review.yml"), "utf8");
    expect(parse(text).on).toEqual({ pull_request_target: expect.objectContaining({ types: ["opened", "synchronize", "reopened"] }) });
    const jobs = analyse(text);
    expect(jobs.map((j) => [j.name, j.trigger, j.checksOutPullRequest, j.runsPullRequestCode])).toEqual([
      ["report", "pull_request_target", undefined, undefined],
      ["plan", "pull_request_target", undefined, undefined],
    ]);
    expect(jobs.filter((j) => j.secrets.length || j.environment).map((j) => j.name)).toEqual(["plan"]);
    expect(jobs.find((j) => j.name === "plan")!.secrets).toEqual([
      "secrets.TOKEN_POLICY_READER_PRIVATE_KEY",
      ...Array.from({ length: INPUT_SLOTS.secret }, (_, i) => `secrets[matrix.org.secrets[${i}]]`),
    ]);
    // A fork's pull request gets the report only.
    expect(parse(text).jobs.plan.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    // The matrix is the base config's: the step that writes it names no other config.
    const orgs = parse(text).jobs.report.steps.find((s: any) => s.id === "orgs");
    expect(orgs.run).not.toMatch(/--config|TOKEN_POLICY_CONFIG/);
    expect(parse(text).jobs.report.env?.TOKEN_POLICY_CONFIG).toBeUndefined();
    // The live report's token may read team members (rules that name teams).
    const live = parse(text).jobs.plan.steps.find((s: any) => s.id === "live");
    expect(live.with["permission-members"]).toBe("read");
  });

  test("the plan job takes only the config and this organization's lock file from the pull request, guards both before any token, and sets no Terraform CLI settings", () => {
    // GIVEN the plan job of the review workflow
    const plan = parse(readFileSync(join(dir, "pull-request-review.yml"), "utf8")).jobs.plan;
    const steps: any[] = plan.steps;
    const runs = steps.map((s) => String(s.run ?? ""));
    // THEN one step copies files of the pull request's head, and only these two
    const taking = runs.filter((r) => /git show "?refs\/remotes\/pr\/head:/.test(r));
    expect(taking).toHaveLength(1);
    expect(/for f in ([^;]+); do/.exec(taking[0])?.[1]).toBe('token-policy.yaml "$LOCK"');
    // AND plan-guard reads the copies against the base's, before synth and before any token is minted
    const guard = runs.findIndex((r) => PLAN_GUARD(r));
    const firstMint = steps.findIndex((s) => /create-github-app-token/.test(String(s.uses ?? "")));
    const synth = runs.findIndex((r) => /npm run synth/.test(r));
    expect(guard).toBeGreaterThan(runs.indexOf(taking[0]));
    expect(guard).toBeLessThan(synth);
    expect(guard).toBeLessThan(firstMint);
    // AND nothing points Terraform at another provider installation: the runner's settings alone
    expect(JSON.stringify(plan)).not.toMatch(
      /TF_CLI_CONFIG_FILE|TERRAFORM_CONFIG|TF_PLUGIN_CACHE_DIR|terraformrc|plugin-dir|provider_installation/,
    );
  });

  test("fails when a workflow hands over toJSON(secrets) or toJSON(vars)", () => {
    const wf =
      "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n        env:\n          S: ${{ toJSON( secrets ) }}\n          V: ${{ toJson(vars) }}\n";
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
    expect(threats("x.yml", wf)).toEqual([
      "x.yml: job a runs the pull request's code (step 2) and receives secrets.APP_KEY",
      "x.yml: job a holds secrets.APP_KEY in a workflow the pull request can edit (pull_request)",
    ]);
  });

  test("fails when a pull-request job runs in an environment", () => {
    const wf =
      "on: pull_request\njobs:\n  a:\n    runs-on: x\n    environment: token-requests\n    steps:\n      - uses: actions/checkout@v5\n      - run: npm test\n";
    expect(threats("x.yml", wf)).toEqual([
      "x.yml: job a runs the pull request's code (step 2) in environment token-requests",
      "x.yml: job a holds environment token-requests in a workflow the pull request can edit (pull_request)",
    ]);
  });

  test("fails when a job of a pull_request workflow holds a secret or an environment, even running only the base commit's code", () => {
    // GIVEN a job that checks out the base commit and reads the pull request only as data: on
    // pull_request the workflow file itself is the pull request's, so that does not help.
    const wf = [
      "on: pull_request",
      "jobs:",
      "  plan:",
      "    runs-on: x",
      "    environment: token-policy-plan_${{ matrix.org.login }}",
      "    steps:",
      "      - uses: actions/checkout@v5",
      "        with: { ref: '${{ github.event.pull_request.base.sha }}' }",
      "      - run: npm run synth",
      "        env:",
      "          KEY: ${{ secrets.READER_KEY }}",
    ].join("\n");
    expect(threats("x.yml", wf)).toEqual([
      "x.yml: job plan holds secrets.READER_KEY in a workflow the pull request can edit (pull_request)",
      "x.yml: job plan holds environment token-policy-plan_${{ matrix.org.login }} in a workflow the pull request can edit (pull_request)",
    ]);
    // The same job on pull_request_target (the base branch's workflow file, the base's code) passes.
    expect(threats("x.yml", wf.replace("on: pull_request", "on: pull_request_target"))).toEqual([]);
  });

  test.each([
    ["github.event.pull_request.head.sha", "${{ github.event.pull_request.head.sha }}"],
    ["github.event.pull_request.head.ref", "${{ github.event.pull_request.head.ref }}"],
    ["the merge commit", "refs/pull/${{ github.event.number }}/merge"],
    ["github.head_ref", "${{ github.head_ref }}"],
  ])("fails when a pull_request_target job checks out the pull request (%s)", (_what, ref) => {
    const wf = `on: pull_request_target\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v5\n        with:\n          ref: "${ref}"\n      - run: npm ci\n`;
    expect(threats("x.yml", wf)).toEqual([
      "x.yml: job a checks out the pull request's head (step 1) in a pull_request_target workflow",
      "x.yml: job a runs the pull request's code (step 2) in a pull_request_target workflow",
    ]);
  });

  test("fails when a pull_request_target job runs npm, npx or node in a tree it took from the pull request", () => {
    const wf = (steps: string[]) =>
      ["on: pull_request_target", "jobs:", "  a:", "    runs-on: x", "    steps:", "      - uses: actions/checkout@v5", ...steps].join(
        "\n",
      );
    const fetch = '      - run: git fetch --no-tags origin "+refs/pull/${PR_NUMBER}/head:refs/remotes/pr/head"';
    // Checked out over the base commit.
    expect(threats("x.yml", wf([fetch, "      - run: git checkout --detach refs/remotes/pr/head", "      - run: npm ci"]))).toEqual([
      "x.yml: job a checks out the pull request's head (step 3) in a pull_request_target workflow",
      "x.yml: job a runs the pull request's code (step 4) in a pull_request_target workflow",
    ]);
    // Or beside it, in a worktree.
    expect(
      threats(
        "x.yml",
        wf([
          fetch,
          "      - run: git worktree add ../head refs/remotes/pr/head",
          "      - run: node main.ts\n        working-directory: ../head",
        ]),
      ),
    ).toEqual([
      "x.yml: job a checks out the pull request's head (step 3) in a pull_request_target workflow",
      "x.yml: job a runs the pull request's code (step 4) in a pull_request_target workflow",
    ]);
    expect(
      threats("x.yml", wf([fetch, "      - run: git worktree add head FETCH_HEAD", "      - run: cd head && npx cdktf synth"])),
    ).toEqual([
      "x.yml: job a checks out the pull request's head (step 3) in a pull_request_target workflow",
      "x.yml: job a runs the pull request's code (step 4) in a pull_request_target workflow",
    ]);
    // Reading its files as data with git show, and running the base's code on them, passes.
    expect(
      threats(
        "x.yml",
        wf([
          fetch,
          "      - run: git show refs/remotes/pr/head:token-policy.yaml > ../pr/token-policy.yaml",
          "      - run: npm run -s cli -- report --config ../pr/token-policy.yaml",
        ]),
      ),
    ).toEqual([]);
  });

  test("fails when a pull_request_target job that plans mints a token or plans before plan-guard", () => {
    const wf = (guard: "before" | "after" | "none") => {
      const guardStep = [
        "      - run: npm run -s cli -- plan-guard --org acme --base-file token-policy.yaml --config ../pr/token-policy.yaml",
      ];
      const work = [
        "      - uses: actions/create-github-app-token@v3",
        "        with: { private-key: '${{ secrets.READER_KEY }}' }",
        "      - run: terraform -chdir=cdktf.out/stacks/acme plan -input=false",
      ];
      const steps = guard === "before" ? [...guardStep, ...work] : guard === "after" ? [...work, ...guardStep] : work;
      return [
        "on: pull_request_target",
        "jobs:",
        "  plan:",
        "    runs-on: x",
        "    steps:",
        "      - uses: actions/checkout@v5",
        ...steps,
      ].join("\n");
    };
    const line =
      "x.yml: job plan mints a token or plans (step 2) before plan-guard checks that the pull request keeps what the plan's credentials follow (plan-guard --base-file <base config> --config <the pull request's copy>)";
    expect(threats("x.yml", wf("none"))).toContain(line);
    expect(threats("x.yml", wf("after"))).toContain(line);
    expect(threats("x.yml", wf("before")).filter((t) => t.includes("plan-guard"))).toEqual([]);
  });

  test("fails when a pull_request_target job mints a token before checking the pull request's API root", () => {
    const wf = (order: "mint-first" | "check-first" | "no-check") => {
      const mint = [
        "      - uses: actions/create-github-app-token@v3",
        "        with: { private-key: '${{ secrets.READER_KEY }}', github-api-url: '${{ matrix.org.apiUrl }}' }",
      ];
      const check = [
        "      - id: check",
        "        run: |",
        "          pr=$(npm run -s cli -- orgs --json --config ../pr/token-policy.yaml)",
        '          [ "$(jq -r .[0].apiUrl <<<"$pr")" = "$BASE_API_URL" ] || exit 1',
      ];
      const steps = order === "mint-first" ? [...mint, ...check] : order === "check-first" ? [...check, ...mint] : mint;
      return [
        "on: pull_request_target",
        "jobs:",
        "  plan:",
        "    runs-on: x",
        "    environment: token-policy-plan_${{ matrix.org.login }}",
        "    steps:",
        "      - uses: actions/checkout@v5",
        ...steps,
      ].join("\n");
    };
    expect(threats("x.yml", wf("no-check"))).toEqual([
      "x.yml: job plan mints a token (step 2) before checking that the pull request keeps the organization's API root (orgs --json --config <the pull request's copy>, apiUrl)",
    ]);
    expect(threats("x.yml", wf("mint-first"))).toEqual([
      "x.yml: job plan mints a token (step 2) before checking that the pull request keeps the organization's API root (orgs --json --config <the pull request's copy>, apiUrl)",
    ]);
    expect(threats("x.yml", wf("check-first"))).toEqual([]);
  });

  test("fails when a pull-request job shares an environment with a deploy or approval job", () => {
    const deploy = {
      file: "d.yml",
      text: "on: push\njobs:\n  d:\n    runs-on: x\n    environment: token-policy-${{ matrix.org.login }}\n    steps: [{ run: deploy }]\n",
    };
    const pr = (env: string) => ({
      file: "p.yml",
      text: `on: pull_request_target\njobs:\n  p:\n    runs-on: x\n    environment: ${env}\n    steps: [{ run: plan }]\n`,
    });
    expect(crossWorkflowThreats([deploy, pr("token-policy-plan-${{ matrix.org.login }}")])).toEqual([
      "p.yml: job p (pull request) uses environment token-policy-plan-${{ matrix.org.login }}, which d.yml job d also uses",
    ]);
    expect(crossWorkflowThreats([deploy, pr("token-policy-plan_${{ matrix.org.login }}")])).toEqual([]);
  });
});

/** What one job is, for the threat model: its triggers, environment, secrets, and whether it runs the pull request's code. */
interface JobFacts {
  readonly name: string;
  /** Triggered by a pull request (either kind). */
  readonly pullRequest: boolean;
  /**
   * `pull_request`: GitHub runs the workflow file as the pull request has it, so every job is the
   * pull request's. `pull_request_target`: the base branch's file and, by default, its code.
   */
  readonly trigger?: "pull_request" | "pull_request_target";
  readonly environment?: string;
  /** `secrets.X` / `secrets[...]` references anywhere in the job. */
  readonly secrets: string[];
  /** The first step (1-based) that puts the pull request's tree in the workspace (checkout, git checkout, worktree), when one does. */
  readonly checksOutPullRequest?: number;
  /** The first step (1-based) that runs the pull request's code, when one does. */
  readonly runsPullRequestCode?: number;
  /** The first step (1-based) that mints a GitHub App token with no check of the pull request's API root before it. */
  readonly mintsBeforeHostCheck?: number;
  /** The first step (1-based) of a job that plans which mints a token or plans with no plan-guard before it. */
  readonly plansBeforeGuard?: number;
}

const BASE_REF = "${{ github.event.pull_request.base.sha }}";

/** A ref (in `with.ref` or a git command) that names the pull request's head or merge commit. */
const PULL_REQUEST_REF =
  /github\.event\.pull_request\.head\.|github\.head_ref|merge_commit_sha|refs\/pull\/|\bpr\/head\b|FETCH_HEAD|\$\{?HEAD_SHA\b/;

/** A git command that writes a tree into the workspace: `[1]` the command, `[2]` its arguments. */
const GIT_CHECKOUT = /\bgit(?:\s+-C\s+\S+)?\s+(checkout|switch|restore|reset\s+--hard|read-tree|worktree\s+add|stash\s+pop)\b([^\n;&|]*)/g;

/** A step that checks the pull request's API root against the base's: `orgs --json` on the pull request's copy, `apiUrl`, and a failure. */
const HOST_CHECK = (run: string) => /orgs --json[^\n]*--config/.test(run) && /apiUrl/.test(run) && /exit 1/.test(run);

/** A step that runs plan-guard on the pull request's copy against the base's config, failing the step when it refuses. */
const PLAN_GUARD = (run: string) => /\bplan-guard\b[^\n]*--base-file/.test(run) && /--config \.\.\/pr\//.test(run);

/** A step that runs a Terraform plan. */
const TERRAFORM_PLAN = (run: string) => /\bterraform\b[^\n]*\bplan\b/.test(run);

/** A folder as a step names it, relative to the workspace. */
function folder(dir: string): string {
  const parts: string[] = [];
  for (const p of dir.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") parts.push(parts.length && parts.at(-1) !== ".." ? (parts.pop(), "") : "..");
    else parts.push(p);
  }
  return parts.filter(Boolean).join("/") || ".";
}

/** Each job's facts. A step runs the pull request's code when it runs in (or names) a checkout of the pull request, except to read it with git. */
function analyse(text: string): JobFacts[] {
  const wf = parse(text);
  const on = typeof wf.on === "string" ? [wf.on] : Array.isArray(wf.on) ? wf.on : Object.keys(wf.on ?? {});
  const trigger = on.includes("pull_request") ? "pull_request" : on.includes("pull_request_target") ? "pull_request_target" : undefined;
  return Object.entries<any>(wf.jobs).map(([name, job]) => {
    const serialized = JSON.stringify(job);
    // The secrets context, not a matrix list named `secrets`: `secrets.X` or `secrets[…]`, one level of brackets inside.
    const secrets = [...serialized.matchAll(/(?<![\w.])secrets(\.[A-Za-z_][\w-]*|\[(?:[^[\]]|\[[^\]]*\])*\])/g)].map(
      (m) => `secrets${m[1]}`,
    );
    const checkouts: { path: string; pr: boolean }[] = [];
    let runsPullRequestCode: number | undefined;
    let checksOutPullRequest: number | undefined;
    let mintsBeforeHostCheck: number | undefined;
    let hostChecked = false;
    let guarded = false;
    let plansBeforeGuard: number | undefined;
    const plans = (job.steps ?? []).some((s: any) => s.run && TERRAFORM_PLAN(String(s.run)));
    (job.steps ?? []).forEach((step: any, i: number) => {
      const uses = String(step.uses ?? "");
      if (uses.startsWith("actions/checkout@")) {
        const path = folder(step.with?.path ?? ".");
        const ref = String(step.with?.ref ?? "");
        // On pull_request the default is the merge commit; on pull_request_target the base branch.
        const pr =
          trigger === "pull_request" ? step.with?.ref !== BASE_REF : trigger === "pull_request_target" && PULL_REQUEST_REF.test(ref);
        checkouts.push({ path, pr });
        if (pr && trigger === "pull_request_target") checksOutPullRequest ??= i + 1;
        return;
      }
      if (uses.startsWith("actions/create-github-app-token@") && !hostChecked) mintsBeforeHostCheck ??= i + 1;
      if (plans && !guarded && (uses.startsWith("actions/create-github-app-token@") || (step.run && TERRAFORM_PLAN(String(step.run)))))
        plansBeforeGuard ??= i + 1;
      if (step.run && PLAN_GUARD(String(step.run))) guarded = true;
      if (step.run && HOST_CHECK(String(step.run))) hostChecked = true;
      const dir = folder(step["working-directory"] ?? ".");
      const runsHere = (s: any): boolean => {
        if (String(s.uses ?? "").startsWith("./")) return true;
        if (!s.run) return false;
        // `cd X` at the start of a command moves it.
        const cd = /^\s*cd\s+("?)([^\s"&;]+)\1/.exec(String(s.run));
        const where = cd ? folder(`${dir}/${cd[2]}`) : dir;
        // The deepest checkout holding the folder; of two in one folder, the later one's tree is there.
        const nearest = checkouts
          .filter((c) => c.path === "." || where === c.path || where.startsWith(`${c.path}/`))
          .reduce<(typeof checkouts)[number] | undefined>((best, c) => (!best || c.path.length >= best.path.length ? c : best), undefined);
        if (nearest?.pr && (nearest.path !== "." || !checkouts.some((c) => c.path !== "." && where.startsWith(c.path)))) return true;
        // Naming a checkout of the pull request in a command, other than git reading it as data.
        const mentioned = String(s.run).replace(/git -C (\S+) (show|ls-tree)\b/g, "");
        return checkouts.some((c) => c.pr && c.path !== "." && new RegExp(`(^|[\\s"'/=])${c.path}/`).test(mentioned));
      };
      if (runsPullRequestCode === undefined && runsHere(step)) runsPullRequestCode = i + 1;
      // A git command that writes the pull request's tree: over a checkout, or into a new worktree.
      for (const m of String(step.run ?? "").matchAll(GIT_CHECKOUT)) {
        if (!PULL_REQUEST_REF.test(m[2])) continue;
        const worktree = /^worktree/.test(m[1]) ? /^\s*(?:-\S+\s+)*(\S+)/.exec(m[2])?.[1] : undefined;
        checkouts.push({ path: worktree ? folder(`${dir}/${worktree}`) : dir, pr: true });
        checksOutPullRequest ??= i + 1;
      }
    });
    return {
      name,
      pullRequest: trigger !== undefined,
      trigger,
      environment: job.environment,
      secrets: [...new Set(secrets)],
      checksOutPullRequest,
      runsPullRequestCode,
      mintsBeforeHostCheck: trigger === "pull_request_target" ? mintsBeforeHostCheck : undefined,
      plansBeforeGuard: trigger === "pull_request_target" ? plansBeforeGuard : undefined,
    };
  });
}

/** Every threat one workflow holds, one line each. */
function threats(file: string, text: string): string[] {
  const out: string[] = [];
  const wf = parse(text);
  for (const [name, job] of Object.entries<any>(wf.jobs)) {
    (job.steps ?? []).forEach((step: any, i: number) => {
      for (const what of ["secrets", "vars"]) {
        if (new RegExp(`toJSON\\(\\s*${what}\\s*\\)`, "i").test(JSON.stringify(step)))
          out.push(`${file}: job ${name} step ${i + 1} gets toJSON(${what})`);
      }
    });
  }
  for (const job of analyse(text)) {
    if (job.runsPullRequestCode !== undefined) {
      for (const s of job.secrets)
        out.push(`${file}: job ${job.name} runs the pull request's code (step ${job.runsPullRequestCode}) and receives ${s}`);
      if (job.environment)
        out.push(
          `${file}: job ${job.name} runs the pull request's code (step ${job.runsPullRequestCode}) in environment ${job.environment}`,
        );
    }
    if (job.trigger === "pull_request") {
      // The workflow file is the pull request's: any job of it can be rewritten to print what it holds.
      for (const s of job.secrets) out.push(`${file}: job ${job.name} holds ${s} in a workflow the pull request can edit (pull_request)`);
      if (job.environment)
        out.push(`${file}: job ${job.name} holds environment ${job.environment} in a workflow the pull request can edit (pull_request)`);
    }
    if (job.trigger === "pull_request_target") {
      // The base branch's workflow, with the repository's secrets and a write-capable token: the pull request's code must not run in it.
      if (job.checksOutPullRequest !== undefined)
        out.push(
          `${file}: job ${job.name} checks out the pull request's head (step ${job.checksOutPullRequest}) in a pull_request_target workflow`,
        );
      if (job.runsPullRequestCode !== undefined)
        out.push(
          `${file}: job ${job.name} runs the pull request's code (step ${job.runsPullRequestCode}) in a pull_request_target workflow`,
        );
      if (job.mintsBeforeHostCheck !== undefined)
        out.push(
          `${file}: job ${job.name} mints a token (step ${job.mintsBeforeHostCheck}) before checking that the pull request keeps the organization's API root (orgs --json --config <the pull request's copy>, apiUrl)`,
        );
      if (job.plansBeforeGuard !== undefined)
        out.push(
          `${file}: job ${job.name} mints a token or plans (step ${job.plansBeforeGuard}) before plan-guard checks that the pull request keeps what the plan's credentials follow (plan-guard --base-file <base config> --config <the pull request's copy>)`,
        );
    }
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
      if (samples.some((s) => pattern.test(s)))
        out.push(
          `${pr.file}: job ${pr.name} (pull request) uses environment ${pr.environment}, which ${other.file} job ${other.name} also uses`,
        );
    }
  }
  return out;
}

describe("the release workflow (.github/workflows/release.yml)", () => {
  const text = readFileSync(join(__dirname, "..", "..", ".github", "workflows", "release.yml"), "utf8");
  const wf = parse(text);
  const steps: { uses?: string; run?: string }[] = wf.jobs.publish.steps;
  const runs = steps.map((s) => s.run ?? "");

  test("is valid against SchemaStore's workflow schema, pins every action and grants only what publishing needs", () => {
    expect(validateWorkflow(text).errors).toEqual([]);
    expect(wf.permissions).toEqual({});
    expect(wf.jobs.publish.permissions).toEqual({ contents: "read", "id-token": "write" });
    for (const step of steps) if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
  });

  test("runs on a version tag only, and publishes with provenance after the tag check and the whole suite", () => {
    expect(wf.on).toEqual({ push: { tags: ["v*.*.*"] } });
    const at = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));
    const publish = at(/^npm publish --provenance --access public$/);
    expect(publish).toBeGreaterThan(-1);
    for (const before of [/GITHUB_REF_NAME" != "v\$version"/, /^npm ci /, /^npm test$/, /^npm run test:package$/]) {
      expect(at(before)).toBeGreaterThan(-1);
      expect(at(before)).toBeLessThan(publish);
    }
  });

  test("its tag check fails on a tag that is not package.json's version, and passes on the version's tag", () => {
    const check = runs.find((r) => r.includes("GITHUB_REF_NAME"))!;
    const root = join(__dirname, "..", "..");
    const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
    const runCheck = (tag: string) =>
      spawnSync("bash", ["-e", "-c", check], { cwd: root, env: { PATH: process.env.PATH, GITHUB_REF_NAME: tag }, encoding: "utf8" });
    expect(runCheck(`v${version}`).status).toBe(0);
    const wrong = runCheck("v99.0.0");
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toContain(`the tag v99.0.0 is not v${version}, package.json's version`);
  });
});
