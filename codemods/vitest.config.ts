import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.js';

export default mergeConfig(shared, defineProject({ test: { name: 'codemods', testTimeout: 120_000, exclude: ['tests/.work/**', '**/node_modules/**'] } }));
