/**
 * What README.md and CONTRIBUTING.md say about this checkout stays true of it: the scripts they
 * run exist, their links and the files they name are there, the packing command they give builds
 * what it packs, and the lists they give (example workflows, deep cdktf imports) are whole.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const read = (file: string) => readFileSync(join(root, file), "utf8");
const DOCS = ["README.md", "CONTRIBUTING.md"] as const;

/** GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, "")
    .replace(/ /g, "-");
}

/** The files under `dir` (relative to the root), recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    return statSync(join(root, path)).isDirectory() ? filesUnder(path) : [path];
  });
}

describe.each(DOCS)("%s", (doc) => {
  const text = read(doc);

  test("every `npm run SCRIPT` it gives is a script of package.json", () => {
    // GIVEN the scripts package.json defines
    const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
    // WHEN every npm run of the text is read (`bench:*` is the family, not a script)
    const named = [...text.matchAll(/npm run (?:-s )?([a-z][a-z0-9:-]*\*?)/g)].map((m) => m[1]!).filter((s) => !s.endsWith("*"));
    // THEN each exists
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((s) => !(s in scripts))).toEqual([]);
  });

  test("every relative link names a file that exists, and every #anchor a heading of the page", () => {
    const headings = new Set([...text.matchAll(/^#+ (.+)$/gm)].map((m) => anchorOf(m[1]!)));
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(0);
    const broken = links.filter((l) => (l.startsWith("#") ? !headings.has(l.slice(1)) : !existsSync(join(root, l.split("#")[0]!))));
    expect(broken).toEqual([]);
  });

  test("every file of the checkout it names in backticks exists", () => {
    // Paths under the project's own folders, without a placeholder (<login>, …, *, {…}).
    const paths = [...text.matchAll(/`((?:lib|cli|__tests__|test-support|examples|bench|scripts|api|\.ci)\/[^`\s]*)`/g)]
      .map((m) => m[1]!.replace(/:.*$/, ""))
      .filter((p) => !/[<…*{]/.test(p));
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });
});

describe("README.md", () => {
  const readme = read("README.md");

  test("every npm pack it gives runs prepack, which the project's .npmrc otherwise turns off (a tarball without dist/)", () => {
    // GIVEN lifecycle scripts off in the project's .npmrc
    expect(read(".npmrc")).toMatch(/^ignore-scripts=true$/m);
    // WHEN the README packs the checkout
    const packs = [...readme.matchAll(/npm pack\b[^\n#]*/g)].map((m) => m[0].trim());
    // THEN it asks for the scripts each time
    expect(packs.length).toBeGreaterThan(0);
    expect(packs.filter((p) => !p.includes("--ignore-scripts=false"))).toEqual([]);
  });

  test("names every example workflow", () => {
    const workflows = readdirSync(join(root, "examples", "workflows")).filter((f) => f.endsWith(".yml"));
    expect(workflows.length).toBeGreaterThan(0);
    expect(workflows.filter((f) => !readme.includes(`\`${f}\``) && !readme.includes(`examples/workflows/${f}`))).toEqual([]);
  });

  test("lists every deep cdktf import of the code (each must exist in CDK Terrain too)", () => {
    // GIVEN the deep imports of lib/, cli/ and main.ts
    const code = [...filesUnder("lib"), ...filesUnder("cli"), "main.ts"]
      .filter((f) => f.endsWith(".ts"))
      .map(read)
      .join("\n");
    const deep = new Set([...code.matchAll(/from "(cdktf\/[^"]+)"/g)].map((m) => m[1]!));
    // THEN the CDK Terrain section names each
    expect(deep.size).toBeGreaterThan(0);
    const section = readme.slice(readme.indexOf("### CDK for Terraform or CDK Terrain"));
    expect([...deep].filter((d) => !section.includes(`\`${d}\``))).toEqual([]);
  });
});
