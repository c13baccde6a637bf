#!/usr/bin/env node
// The installed `snmpkit` command. It exists before the first build, so that `npm install` at the root links it
// (npm links a workspace's bin only if the file is there, and `prepare` builds dist/ after linking).
import '../dist/bin.js';
