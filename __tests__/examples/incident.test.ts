import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { tempDir } from "../../test-support/temp";

const wf = parse(readFileSync(join(__dirname, "..", "..", "examples", "workflows", "incident.yml"), "utf8"));
const job = wf.jobs.revoke;
const revokeStep = job.steps.find((s: any) => /cli -- revoke/.test(s.run ?? ""));

describe("incident.yml", () => {
  test("is dispatched by hand with the revoke filters as inputs, a dry run unless apply", () => {
    expect(Object.keys(wf.on)).toEqual(["workflow_dispatch"]);
    expect(Object.keys(wf.on.workflow_dispatch.inputs)).toEqual([
      "org",
      "owner",
      "token-id",
      "repository",
      "permission",
      "last-used-before",
      "name-contains",
      "classic",
      "apply",
    ]);
    expect(wf.on.workflow_dispatch.inputs.apply.default).toBe(false);
  });

  test("holds the App's key only in an environment (with required reviewers), and keeps the evidence even on failure", () => {
    expect(job.environment).toBe("token-policy-incident");
    const keep = job.steps.find((s: any) => String(s.uses).startsWith("actions/upload-artifact@"));
    expect(keep.if).toBe("always()");
    expect(keep.with.path).toBe("revoke-evidence.json");
    // No input is pasted into a script: each reaches it through the environment.
    for (const step of job.steps) expect(String(step.run ?? "")).not.toContain("${{");
  });

  test("turns the inputs into filters, each value one argument, and runs no input as code", () => {
    // GIVEN an `npm` that records its arguments, and inputs with lists and a would-be injection
    const bin = tempDir("wf-incident-");
    writeFileSync(join(bin, "npm"), `#!/bin/sh\nfor a in "$@"; do echo "$a"; done > '${join(bin, "args")}'\n`);
    chmodSync(join(bin, "npm"), 0o755);
    const env = {
      PATH: `${bin}:${process.env.PATH}`,
      ORG: "acme-corp",
      OWNERS: "leaver, other *",
      TOKEN_IDS: "",
      REPOSITORY: "",
      PERMISSIONS: "contents:write",
      LAST_USED_BEFORE: "2026-01-01",
      NAME_CONTAINS: `$(touch ${join(bin, "pwned")})`,
      CLASSIC: "false",
      APPLY: "true",
    };
    // WHEN the step runs as Actions runs it
    const result = spawnSync("bash", ["-e", "-c", revokeStep.run], { env, encoding: "utf8" });
    // THEN the command gets each filter once, and the text is passed, not run
    expect(result.status).toBe(0);
    expect(readFileSync(join(bin, "args"), "utf8").trim().split("\n")).toEqual([
      "run",
      "-s",
      "cli",
      "--",
      "revoke",
      "--org",
      "acme-corp",
      "--evidence-out",
      "revoke-evidence.json",
      "--owner",
      "leaver",
      "--owner",
      "other",
      "--owner",
      "*",
      "--permission",
      "contents:write",
      "--last-used-before",
      "2026-01-01",
      "--name-contains",
      `$(touch ${join(bin, "pwned")})`,
      "--apply",
    ]);
    expect(existsSync(join(bin, "pwned"))).toBe(false);
  });
});
