#!/usr/bin/env node
// The `sscard` command. Runs the TypeScript sources directly through tsx, like `npm start`.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
