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
});
