export { writePolicyFile } from "../../test-support/fixtures";
