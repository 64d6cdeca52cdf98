#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the `prepare` script).
import { main } from "../dist/src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
// Interrupted: leave now, even if a command that ignores signals (validate, plan) is still at work.
if (process.exitCode === 130) process.exit(130);
