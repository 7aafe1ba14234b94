/**
 * `--help` a person can act on: examples, the environment variables a command reads and its exit
 * codes; `help <typo>` names the command meant and exits 2.
 */
import { run } from "../../cli";
import { COMMAND_HELP, commandHelpText } from "../../cli/help";
import { captureIO } from "../../test-support/io";

async function helpOf(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO({});
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe("--help", () => {
  test.each(Object.keys(COMMAND_HELP))("%s --help shows examples, environment variables and exit codes", async (name) => {
    // WHEN
    const { code, out } = await helpOf(name, "--help");
    // THEN
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`\\nExamples:\\n  token-policy ${name}|\\nExamples:\\n  [A-Z_]+=… token-policy ${name}`));
    expect(out).toContain("\nEnvironment:\n  TOKEN_POLICY_CONFIG ");
    expect(out).toMatch(/\nExit codes:\n  0  .+\n  1  .+\n  2  .+\n/);
  });

  test("serve --help names WEBHOOK_SECRET, and no GITHUB_TOKEN (serve acts as each App)", async () => {
    const { out } = await helpOf("serve", "--help");
    expect(out).toMatch(/\n  WEBHOOK_SECRET +the App's webhook secret \(required\)/);
    expect(out).toMatch(/\n  <STEM>_APP_PRIVATE_KEY_FILE +/);
    expect(out).not.toContain("GITHUB_TOKEN");
  });

  test.each(["review", "verify", "member", "revoke"])(
    "%s --help gives --credentials' fall-back in the order every command takes it (<STEM>_APP_*, GITHUB_TOKEN, APP_*)",
    async (name) => {
      // WHEN
      const { out } = await helpOf(name, "--help");
      // THEN the order of authenticationFor, as the README's "Auth" says
      expect(out.replace(/\s+/g, " ")).toContain(
        "--credentials <file> the file create-app wrote (default: <STEM>_APP_ID with <STEM>_APP_PRIVATE_KEY[_FILE], then GITHUB_TOKEN, then APP_ID with APP_PRIVATE_KEY[_FILE])",
      );
    },
  );

  test("guide --help says --all reads the config alone; review --help says each organization needs its App", async () => {
    const flat = async (name: string) => (await helpOf(name, "--help")).out.replace(/\s+/g, " ");
    expect(await flat("guide")).toContain("--all every organization of the config (from the config alone: no App, no network)");
    expect(await flat("review")).toContain("--all every organization of the config, each with its own App and installation");
  });

  test("verify --help lists exit code 3 for drift; review --help does not", async () => {
    expect((await helpOf("verify", "--help")).out).toContain("\n  3  drift: GitHub differs from the config (verify)\n");
    expect((await helpOf("review", "--help")).out).not.toContain("\n  3  ");
  });

  test("the general help lists every exit code", async () => {
    const { code, out } = await helpOf("--help");
    expect(code).toBe(0);
    expect(out).toMatch(/\nExit codes:\n  0  .+\n  1  .+\n  2  .+\n  3  drift/);
  });

  test.each(Object.keys(COMMAND_HELP).filter((name) => name !== "serve"))(
    "%s --help offers --json and says stdout then holds one JSON document, a failure's included",
    async (name) => {
      const { out } = await helpOf(name, "--help");
      expect(out).toMatch(/\n  --json +print /);
      expect(out).toContain("stdout carries one JSON document and nothing else (progress and notices go to stderr)");
      expect(out).toContain('prints {"error": …, "exitCode": …} instead');
    },
  );

  test("a command without an entry still shows the exit codes", () => {
    expect(commandHelpText(COMMAND_HELP["no-such-command"])).toBe(
      "\nExit codes:\n  0  it ran (a dry run included)\n  1  GitHub or the network failed, a step did not finish, or a guard refused (plan-guard; review --apply held by its brake)\n  2  bad usage or config (the message names the file, the place and what is allowed)\n",
    );
  });
});

describe("help <command>", () => {
  test("help review shows review's help, exit 0", async () => {
    const { code, out } = await helpOf("help", "review");
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: token-policy review /);
  });

  test("fails when the command is misspelt, naming the command meant, exit 2", async () => {
    // WHEN
    const { code, out, err } = await helpOf("help", "reveiw");
    // THEN
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toMatch(/^error: unknown command 'reveiw' \(did you mean "review"\?\); the commands are review, create-app, /);
  });

  test("fails when a command is misspelt without help too (commander's suggestion), exit 2", async () => {
    const { code, err } = await helpOf("reveiw");
    expect(code).toBe(2);
    expect(err).toContain("(Did you mean review?)");
  });
});
