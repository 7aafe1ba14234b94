import { Testing } from "cdktf";
import { removeTempDirs } from "../test-support/temp";

Testing.setupJest();

// Every temporary folder a test file made through tempDir() goes when the file ends.
afterAll(removeTempDirs);
