import { describe, expect, it } from 'vitest';

import { FileEdits } from '../src/engine/file-edits.js';

describe('FileEdits parts', () => {
  const text = 'const a = await f();\nconst b = await g();\nfor (const x of xs) await h(x);\n';
  const loopStart = text.indexOf('for');

  it('applies every part when none is chosen, and only the chosen parts otherwise', () => {
    const edits = new FileEdits(text);
    const sequence = edits.startPart();
    edits.replace(0, loopStart - 1, 'const [a, b] = await Promise.all([f(), g()]);');
    const loop = edits.startPart();
    edits.replace(loopStart, text.length - 1, 'await Promise.all(xs.map((x) => h(x)));');
    expect(edits.parts).toEqual([sequence, loop]);
    expect(edits.apply()).toBe('const [a, b] = await Promise.all([f(), g()]);\nawait Promise.all(xs.map((x) => h(x)));\n');
    expect(edits.apply(new Set([sequence]))).toBe('const [a, b] = await Promise.all([f(), g()]);\nfor (const x of xs) await h(x);\n');
    expect(edits.apply(new Set([loop]))).toBe('const a = await f();\nconst b = await g();\nawait Promise.all(xs.map((x) => h(x)));\n');
    expect(edits.apply(new Set())).toBe(text);
  });

  it('keeps edits planned before the first part in every choice, and nested edits with their part', () => {
    const edits = new FileEdits('f(g(x)); y;');
    edits.insert(11, '\n// end');
    const first = edits.startPart();
    edits.wrap(0, 7, (inner) => `await ${inner}`);
    edits.replace(4, 5, 'z');
    const second = edits.startPart();
    edits.replace(9, 10, 'w');
    expect(edits.apply(new Set([second]))).toBe('f(g(x)); w;\n// end');
    expect(edits.apply(new Set([first]))).toBe('await f(g(z)); y;\n// end');
  });

  it('has no parts until one is started', () => {
    const edits = new FileEdits('x');
    edits.replace(0, 1, 'y');
    expect(edits.parts).toEqual([]);
    expect(edits.apply(new Set())).toBe('y');
  });
});
