import { parseCredentialsFile } from "../../lib/model/credentials-file";

const good = {
  id: 1,
  slug: "acme-broker",
  client_id: "Iv1.0123456789abcdef",
  client_secret: "s",
  webhook_secret: null,
  pem: ["-----BEGIN RSA", "PRIVATE KEY-----"].join(" "),
  html_url: "",
  owner: "acme-corp",
  github_url: "https://github.com",
};

describe("parseCredentialsFile", () => {
  test("returns the credentials create-app wrote", () => {
    expect(parseCredentialsFile(JSON.stringify(good), ".secrets/acme-corp-app.json")).toEqual(good);
  });

  test.each([
    ["not JSON", "{", ".secrets/x.json: cannot be read as the JSON create-app writes (invalid JSON)"],
    ["JSON null", "null", ".secrets/x.json: must hold the App's id, client_id and pem, as create-app writes them"],
    [
      "without the key",
      JSON.stringify({ ...good, pem: undefined }),
      ".secrets/x.json: must hold the App's id, client_id and pem, as create-app writes them",
    ],
  ])("fails when the text is %s, naming the file and never its contents", (_what, text, message) => {
    expect(() => parseCredentialsFile(text, ".secrets/x.json")).toThrow(new Error(message));
  });
});
