export { generateAppKey } from "./fixtures";

/** Lines of the key's body, to search output for (any one of them appearing is a leak). */
export function keyBodyLines(pem: string): string[] {
  return pem.split("\n").filter((l) => l && !l.startsWith("-----"));
}
