import { Testing } from "cdktf";
import { removeLater, removeTempDirs, tempDir } from "../test-support/temp";

Testing.setupJest();

// cdktf's Testing.app() and Testing.fullSynth() make an output folder under the temp folder and
// leave it there: give the app one of ours, and take fullSynth's, so both are removed.
const testingApp = Testing.app.bind(Testing);
Testing.app = (options = {}) => testingApp({ ...options, outdir: options.outdir ?? tempDir("cdktf.outdir.") });
const fullSynth = Testing.fullSynth.bind(Testing);
Testing.fullSynth = (stack) => removeLater(fullSynth(stack));

// Every temporary folder of a test file (tempDir(), the above) goes when the file ends.
afterAll(removeTempDirs);
