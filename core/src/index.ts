export * from './catalog/index.js';
export * from './registry/index.js';
export { LoopguardCoreError } from './errors.js';
