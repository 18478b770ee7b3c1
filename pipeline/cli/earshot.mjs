#!/usr/bin/env node
// The `earshot` command. Node 20 does not run TypeScript itself: tsx's loader
// compiles the sources on the fly (esbuild, ~ms per module), so there is no
// build step between editing and running.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("./cli.ts");
process.exitCode = await runCli(process.argv.slice(2));
