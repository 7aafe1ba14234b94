/**
 * synthesizeStacks: a large config's organizations split between this thread and a worker give
 * the files one thread writes, byte for byte. The worker runs compiled JavaScript (as under
 * `npm run synth`), so these tests load the sources compiled by scripts/run-ts.cjs.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generatedConfig } from "../../bench/synth";
import { readConfig } from "../../lib/config/load";
import { checkOrganization } from "../../lib/policy-checks/check-pack";
import type * as Synthesize from "../../lib/synth/synthesize";
import { readTree } from "../../test-support/files";
import { tempDir } from "../../test-support/temp";

const root = join(__dirname, "..", "..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { compiledFolder } = require(join(root, "scripts", "run-ts.cjs")) as { compiledFolder(root: string, cacheRoot: string): string };

describe("synthesizeStacks", () => {
  // The compiled sources, in the cache the launcher uses (a worker resolves cdktf from there).
  const compiled = compiledFolder(root, join(root, "node_modules", ".cache", "github-token-policy"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesizeStacks } = require(join(compiled, "lib", "synth", "synthesize.js")) as typeof Synthesize;

  /** The part and findings of a generated config of `n` organizations. */
  function config(n: number) {
    const file = join(tempDir("synth-config-"), "token-policy.yaml");
    writeFileSync(file, generatedConfig(n));
    const parsed = readConfig(file);
    if (!parsed.config) throw new Error("the generated config is invalid");
    const { enterprises, organizations } = parsed.config;
    return {
      part: { enterprises, organizations: organizations.map((config, index) => ({ index, config })) },
      findings: new Map(organizations.map((o) => [o.login, checkOrganization(o)])),
    };
  }

  test("two threads write what one thread writes, every file and the manifest", async () => {
    // GIVEN seven organizations
    const { part, findings } = config(7);
    // WHEN synthesized on one thread, and with the last three built by the worker
    const one = tempDir("synth-one-");
    const two = tempDir("synth-two-");
    const oneIds = await synthesizeStacks({ outdir: one, part, findings, debug: false, parallel: false });
    const twoIds = await synthesizeStacks({ outdir: two, part, findings, debug: false, parallel: true });
    // THEN the same stacks in the file's order, and the same bytes in every file
    expect(twoIds).toEqual(oneIds);
    expect(oneIds).toHaveLength(7);
    const [a, b] = [readTree(one), readTree(two)];
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, text] of a) expect({ path, text: b.get(path) }).toEqual({ path, text });
    expect(Object.keys(JSON.parse(a.get("manifest.json")!).stacks)).toHaveLength(7);
  });

  test("fails with the construct's refusal when an entry the worker builds is refused", async () => {
    // GIVEN four organizations, the last (the worker's) with an installation list a construct refuses
    const { part, findings } = config(4);
    const last = part.organizations[3];
    const refused = { ...last, config: { ...last.config, app: { ...last.config.app!, installation: { repositories: [] } } } };
    const organizations = [...part.organizations.slice(0, 3), refused] as typeof part.organizations;
    // WHEN synthesized on two threads THEN the refusal comes back as the construct said it
    await expect(
      synthesizeStacks({ outdir: tempDir("synth-refused-"), part: { ...part, organizations }, findings, debug: false, parallel: true }),
    ).rejects.toMatchObject({ name: "ConstructRefusal", message: expect.stringMatching(/must list at least one repository/) });
  });

  test("npm run synth of 200 organizations (two threads) writes what ts-node's one thread wrote", () => {
    // GIVEN 200 organizations, the size from which the worker takes half (PARALLEL_FROM)
    const synth = (command: string[]) => {
      const dir = tempDir("synth-200-");
      writeFileSync(join(dir, "token-policy.yaml"), generatedConfig(200));
      const r = spawnSync(process.execPath, command, {
        cwd: dir,
        encoding: "utf8",
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      return readTree(join(dir, "cdktf.out"));
    };
    // WHEN synthesized through the launcher (compiled, two threads) and through ts-node (one thread)
    const launched = synth([join(root, "scripts", "run-ts.cjs"), "main.ts"]);
    const tsNode = synth([join(root, "node_modules", "ts-node", "dist", "bin.js"), "--swc", join(root, "main.ts")]);
    // THEN every file is the same
    expect(launched.size).toBe(tsNode.size);
    expect(launched.size).toBeGreaterThan(400);
    for (const [path, text] of tsNode) expect({ path, same: launched.get(path) === text }).toEqual({ path, same: true });
  });
});
