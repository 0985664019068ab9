#!/usr/bin/env node
// The one `loupe` CLI. TypeScript sources run through tsx, so the appliance needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../device/cli/main.ts');
