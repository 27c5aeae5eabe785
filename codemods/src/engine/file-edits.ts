/** Renders an edit from the text it covers, with every edit nested inside it already applied. */
export type Render = (inner: string, slice: (start: number, end: number) => string) => string;

interface Operation {
  readonly start: number;
  readonly end: number;
  readonly render: Render;
  /** Among insertions at one offset, lower goes first (indentation before an inserted `await`). */
  readonly order: number;
  readonly sequence: number;
  /** The part the edit belongs to (see `startPart`); none for edits every part needs. */
  readonly part: number | undefined;
}

interface Applied {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly order: number;
  readonly sequence: number;
}

/**
 * The edits of one file, planned from the original text and applied in one batch. An edit may
 * contain others (an `await` added around a call whose argument is itself rewritten): inner edits
 * are applied first and the outer one renders from their result, so planning order never matters.
 *
 * @example
 * const edits = new FileEdits('f(g(x))');
 * edits.wrap(2, 6, (inner) => `await ${inner}`);
 * edits.replace(4, 5, 'y');
 * edits.apply(); // 'f(await g(y))'
 */
export class FileEdits {
  readonly text: string;
  readonly #operations: Operation[] = [];
  #parts = 0;
  #part: number | undefined;

  constructor(text: string) {
    this.text = text;
  }

  /** True when nothing is planned. */
  get isEmpty(): boolean {
    return this.#operations.length === 0;
  }

  /** Inserts text at an offset. */
  insert(offset: number, text: string, order = 1): void {
    this.#push(offset, offset, () => text, order);
  }

  /** Replaces a range, dropping whatever edits were planned inside it. */
  replace(start: number, end: number, text: string): void {
    this.#push(start, end, () => text, 1);
  }

  /** Replaces a range with text built from its edited content. */
  wrap(start: number, end: number, render: Render): void {
    this.#push(start, end, render, 1);
  }

  /**
   * Starts a part: the edits planned from now on, until the next part starts, belong to it. A part
   * is a rewrite that stands alone in the file, so `apply` can leave it out (when it would not
   * type-check) and keep the others. Edits planned before the first part belong to every part.
   *
   * @example
   * const part = edits.startPart();
   * edits.replace(start, end, text);
   * edits.apply(new Set([part]));
   */
  startPart(): number {
    this.#part = this.#parts;
    this.#parts += 1;
    return this.#part;
  }

  /** The parts started so far, in order. */
  get parts(): number[] {
    return Array.from({ length: this.#parts }, (_, part) => part);
  }

  /**
   * The edited text, with only the parts in `keep` when it is given. Throws when two edits overlap
   * without one containing the other (a planning bug).
   */
  apply(keep?: ReadonlySet<number>): string {
    const operations = this.#operations.filter((operation) => keep === undefined || operation.part === undefined || keep.has(operation.part)).sort(
      (a, b) => a.end - a.start - (b.end - b.start) || a.start - b.start || a.order - b.order || a.sequence - b.sequence,
    );
    let applied: Applied[] = [];
    const take = (start: number, end: number): { inside: Applied[]; text: string } => {
      const inside: Applied[] = [];
      const outside: Applied[] = [];
      for (const edit of applied) {
        const contained = edit.start >= start && edit.end <= end && !(edit.start === edit.end && edit.start === end && end > start);
        if (contained) inside.push(edit);
        else if (edit.end > start && edit.start < end) throw new Error(`Internal error: edits [${String(edit.start)}, ${String(edit.end)}) and [${String(start)}, ${String(end)}) overlap.`);
        else outside.push(edit);
      }
      applied = outside;
      return { inside, text: compose(this.text, start, end, inside) };
    };
    for (const operation of operations) {
      // An insertion contains nothing, not even other insertions at its offset: they are siblings.
      const { inside, text } = operation.start === operation.end ? { inside: [], text: '' } : take(operation.start, operation.end);
      const slice = (start: number, end: number): string => compose(this.text, start, end, inside.filter((edit) => edit.start >= start && edit.end <= end));
      applied.push({ start: operation.start, end: operation.end, text: operation.render(text, slice), order: operation.order, sequence: operation.sequence });
    }
    return compose(this.text, 0, this.text.length, applied);
  }

  #push(start: number, end: number, render: Render, order: number): void {
    this.#operations.push({ start, end, render, order, sequence: this.#operations.length, part: this.#part });
  }
}

function compose(text: string, start: number, end: number, edits: readonly Applied[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start) || a.order - b.order || a.sequence - b.sequence);
  let output = '';
  let position = start;
  for (const edit of sorted) {
    output += text.slice(position, edit.start) + edit.text;
    position = edit.end;
  }
  return output + text.slice(position, end);
}
