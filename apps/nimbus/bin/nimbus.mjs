#!/usr/bin/env node
// The nimbus executable: rebuilds the bundle when a source file is newer, then runs it.
// Object servers keep many fsyncs in flight at once; libuv's default pool of 4 threads would
// queue them one behind another. Read once, when the pool first starts, so set it first.
process.env.UV_THREADPOOL_SIZE ??= '64';
import { bundleIsStale, build, bundlePath } from '../../../scripts/build.mjs';
import { pathToFileURL } from 'node:url';

if (process.env.NIMBUS_NO_BUILD !== '1' && bundleIsStale()) await build();
await import(pathToFileURL(bundlePath).href);
