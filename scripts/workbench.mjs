#!/usr/bin/env node
// The `workbench` command: runs the TypeScript CLI through tsx, so it works straight from a checkout
// after `npm install` (which also builds the WASM kernels).
import { register } from 'tsx/esm/api';

register();
await import('../src-main/cli/index.ts');
