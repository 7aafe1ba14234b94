import { spawn } from "node:child_process";

/** Opens a URL in the user's browser; says so when it cannot (the URL is printed anyway). */
export async function openBrowser(url: string): Promise<void> {
  const cmd = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  await new Promise<void>((resolve) => {
    const child = spawn(cmd, [url], { stdio: "ignore", detached: true });
    child.on("error", () => resolve());
    child.on("spawn", () => {
      child.unref();
      resolve();
    });
  });
}
