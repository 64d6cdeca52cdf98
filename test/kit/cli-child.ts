// Runs the segsweep CLI from source in a child process (tsx), as bin/segsweep.js runs the build:
// the SIGKILL test and manual runs use it. Real process IO: signals, stdio, env.
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
