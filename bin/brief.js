#!/usr/bin/env node
// The compiled CLI; `npm install` builds it (the package's prepare script).
import { run } from '../dist/cli/main.js';

process.exitCode = await run(process.argv.slice(2));
