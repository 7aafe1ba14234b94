/**
 * The real cdktf CLI (`cdktf synth`, the synth that `cdktf diff` and `deploy` run first) over a
 * sequence of configs that remove, rename and add organizations and an enterprise stack, each
 * synthesized over what the one before left in cdktf.out, alternating with `npm run synth`
 * (main.ts alone). No network: update checks are off, and synth needs no provider.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { runEntry } from "../../test-support/run-entry";
import { providerMirror, terraformBinary } from "../../test-support/terraform";
import { tempDir } from "../../test-support/temp";

const root = join(__dirname, "..", "..");
const cdktfBin = join(root, "node_modules", ".bin", "cdktf");
const runTs = join(root, "scripts", "run-ts.cjs");

/** The example config as an object, to vary per step. */
function example(): any {
  return parse(readFileSync(join(root, "token-policy.yaml"), "utf8"));
}

/** A project folder whose cdktf.json runs this checkout's main.ts, as the checkout's cdktf.json does. */
function project(): string {
  const dir = tempDir("token-policy-cdktf-");
  const app = [process.execPath, runTs, "main.ts"].map((a) => JSON.stringify(a)).join(" ");
  writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app, projectId: "test", sendCrashReports: "false" }));
  return dir;
}

function cdktfSynth(dir: string, args = ["synth"], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cdktfBin, args, {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, CHECKPOINT_DISABLE: "1", CI: "1", DISABLE_VERSION_CHECK: "true", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function npmSynth(dir: string) {
  const r = runEntry("main.ts", [], { cwd: dir, env: { PATH: process.env.PATH } });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** The stack folders in cdktf.out and the stacks its manifest lists. */
function output(dir: string): { folders: string[]; manifest: string[] } {
  const out = join(dir, "cdktf.out");
  return {
    folders: readdirSync(join(out, "stacks")).sort(),
    manifest: Object.keys(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).stacks).sort(),
  };
}

const withoutLabs = (c: any) => ({ ...c, organizations: c.organizations.filter((o: any) => o.login !== "acme-labs") });
const renamed = (c: any) => ({
  ...c,
  organizations: c.organizations.map((o: any) => (o.login === "acme-corp" ? { ...o, login: "acme-inc" } : o)),
});
const withoutEnterprise = (c: any) => ({
  ...c,
  enterprises: [],
  organizations: c.organizations.map((o: any) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== "enterprise"))),
});

/** Each step: what the config is, which synth runs, and the stacks it must leave. */
const STEPS: [string, (c: any) => any, "cdktf" | "npm", string[]][] = [
  ["the example", (c) => c, "cdktf", ["acme-corp", "acme-labs", "enterprise-acme"]],
  ["an organization removed", withoutLabs, "cdktf", ["acme-corp", "enterprise-acme"]],
  ["an organization renamed", (c) => renamed(withoutLabs(c)), "cdktf", ["acme-inc", "enterprise-acme"]],
  ["an organization added", renamed, "cdktf", ["acme-inc", "acme-labs", "enterprise-acme"]],
  ["the enterprise stack removed", (c) => withoutEnterprise(renamed(c)), "cdktf", ["acme-inc", "acme-labs"]],
  ["the enterprise stack added back, by npm run synth", renamed, "npm", ["acme-inc", "acme-labs", "enterprise-acme"]],
  ["two organizations removed, by npm run synth", (c) => withoutEnterprise(withoutLabs(c)), "npm", ["acme-corp"]],
  ["everything back", (c) => c, "cdktf", ["acme-corp", "acme-labs", "enterprise-acme"]],
  ["two stacks removed at once", (c) => withoutEnterprise(withoutLabs(c)), "cdktf", ["acme-corp"]],
];

describe("synth over the output of a different config", () => {
  const dir = project();

  test.each(STEPS)(
    "%s: synthesizes without an error and cdktf.out holds exactly its stacks",
    (_what, change, how, stacks) => {
      // GIVEN the config changed from the previous step's, whose output is still in cdktf.out
      writeFileSync(join(dir, "token-policy.yaml"), stringify(change(example())));
      // WHEN it is synthesized
      const r = how === "cdktf" ? cdktfSynth(dir) : npmSynth(dir);
      // THEN the synth succeeds, with no ENOENT from the cdktf CLI's clean-up of removed stacks
      expect(r.output).not.toMatch(/ENOENT|Error/);
      expect(r.status).toBe(0);
      // AND the stack folders are the manifest's stacks, no more
      expect(output(dir)).toEqual({ folders: stacks, manifest: stacks });
    },
    180_000,
  );
});

(terraformBinary() ? describe : describe.skip)("cdktf diff after an organization left the config", () => {
  test("synthesizes over the old output and reaches Terraform, with no ENOENT", () => {
    // GIVEN the example synthesized by the cdktf CLI, then acme-labs removed from the config
    const dir = project();
    writeFileSync(join(dir, "token-policy.yaml"), stringify(example()));
    expect(cdktfSynth(dir).status).toBe(0);
    writeFileSync(join(dir, "token-policy.yaml"), stringify(withoutLabs(example())));
    // WHEN cdktf diff runs, with the provider from a local mirror (no network; the stand-in provider cannot start)
    const { cliConfigFile } = providerMirror("6.13.0");
    const r = cdktfSynth(dir, ["diff", "acme-corp", "--skip-provider-lock"], { TF_CLI_CONFIG_FILE: cliConfigFile });
    // THEN its synth removed the old stack's folder without an error, and Terraform ran: init installed the provider, plan could not start it
    expect(r.output).not.toMatch(/ENOENT/);
    expect(r.output).toMatch(/Installed integrations\/github v6\.13\.0|Installing integrations\/github v6\.13\.0/);
    expect(output(dir)).toEqual({ folders: ["acme-corp", "enterprise-acme"], manifest: ["acme-corp", "enterprise-acme"] });
  }, 180_000);
});
