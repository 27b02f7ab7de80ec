#!/usr/bin/env node
'use strict';
// The `hpo` command runs the compiled CLI; `npm install` builds it (the package's `prepare` script).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'src', 'main.js');
if (!fs.existsSync(entry)) {
  console.error('hpo: the CLI is not built yet; run "npm run build" in ' + path.join(__dirname, '..'));
  process.exit(1);
}
require(entry)
  .run(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
