#!/usr/bin/env node
// Entry point of the `rbi` command (package bin). The code is compiled into dist/ by `npm run build`, which
// `npm install` runs through the prepare script.
import { runProcess } from '../dist/operator/cli/main.js';

runProcess('rbi');
