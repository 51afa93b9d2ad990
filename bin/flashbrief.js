#!/usr/bin/env node
// The compiled CLI under the package's own name (`npx flashbrief` works in any folder);
// bin/brief.js is the short alias for use inside a project. `npm install` builds dist/.
import module from 'node:module';

// From Node 22.1, compiled code is kept between runs (NODE_COMPILE_CACHE, else the
// system's temporary folder), which cuts start-up; Node 20 has no such cache.
module.enableCompileCache?.();
const { run } = await import('../dist/cli/main.js');

process.exitCode = await run(process.argv.slice(2), 'flashbrief');
