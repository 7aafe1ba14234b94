export { writePolicyFile } from "./fixtures";
