#!/usr/bin/env node
// Entry point of the `assetops` command. The CLI is written in TypeScript and run
// through tsx's loader, so a checkout works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
