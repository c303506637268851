#!/usr/bin/env node
// The nimbus executable: rebuilds the bundle when a source file is newer, then runs it.
import { bundleIsStale, build, bundlePath } from '../../../scripts/build.mjs';
import { pathToFileURL } from 'node:url';

if (process.env.NIMBUS_NO_BUILD !== '1' && bundleIsStale()) await build();
await import(pathToFileURL(bundlePath).href);
