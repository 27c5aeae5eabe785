import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.js';

// RuleTester registers its cases through the global describe/it/afterAll.
export default mergeConfig(shared, defineProject({ test: { name: 'eslint-plugin', globals: true, testTimeout: 60_000 } }));
