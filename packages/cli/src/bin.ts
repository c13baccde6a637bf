#!/usr/bin/env node
// The snmpkit binary: as little as possible before the command's own module loads.
import { processIo } from './io.js';
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), processIo());
