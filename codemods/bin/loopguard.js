#!/usr/bin/env node
// The `loopguard` bin. It lives outside dist/ so npm can link it before the first build; the CLI
// itself is the compiled dist/cli/bin.js.
await import('../dist/cli/bin.js');
