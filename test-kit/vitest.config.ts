import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.js';

// The tests import the sources (`../src/index.js`), so the setup file is the source entry too:
// one module instance, one set of upstreams. (A test importing `@loopguard/test-kit` would get dist.)
export default mergeConfig(shared, defineProject({ test: { name: 'test-kit', setupFiles: ['./src/vitest/index.ts'] } }));
