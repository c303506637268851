#!/usr/bin/env node
// Root shortcut for the nimbus executable (`node scripts/nimbus.mjs up`).
await import('../apps/nimbus/bin/nimbus.mjs');
