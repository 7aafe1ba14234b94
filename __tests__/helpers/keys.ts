import { generateKeyPairSync } from "node:crypto";

/** A fresh RSA key in the PKCS#1 PEM form GitHub hands out for Apps; never committed. */
export function generateAppKey(): { pem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    pem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/** Lines of the key's body, to search output for (any one of them appearing is a leak). */
export function keyBodyLines(pem: string): string[] {
  return pem.split("\n").filter((l) => l && !l.startsWith("-----"));
}
