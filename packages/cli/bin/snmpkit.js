#!/usr/bin/env node
// The installed `snmpkit` command. It exists before the first build, so that `npm install` at the root links it
// (npm links a workspace's bin only if the file is there, and `prepare` builds dist/ after linking). It runs the
// bundled build when there is one (faster to start), else the plain tsc output.
import { existsSync } from 'node:fs';

const bundled = new URL('../dist/bundle/bin.js', import.meta.url);
await import(existsSync(bundled) ? bundled.href : new URL('../dist/bin.js', import.meta.url).href);
