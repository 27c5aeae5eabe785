/** What kind of work a blocking API does; rules and probes let users switch kinds on and off. */
export type BlockingKind =
  | 'fs'
  | 'process'
  | 'crypto'
  | 'zlib'
  | 'sqlite'
  | 'password-hash'
  | 'glob'
  | 'sync-wait'
  | 'http';

/** Every `BlockingKind`, in a stable order (for option schemas and docs). */
export const blockingKinds: readonly BlockingKind[] = [
  'fs',
  'process',
  'crypto',
  'zlib',
  'sqlite',
  'password-hash',
  'glob',
  'sync-wait',
  'http',
];

/**
 * A module the catalog knows, with every specifier that reaches it.
 *
 * `namedExports` is false for CommonJS packages whose exports Node's ESM loader cannot see
 * (`import { sync } from 'fast-glob'` fails at run time), so rewrites must go through the default import.
 * `defaultIsNamespace` is true when `import x from 'm'; x.foo` reaches the same export as `import { foo } from 'm'`.
 */
export interface CatalogModule {
  readonly name: string;
  readonly specifiers: readonly string[];
  readonly builtin: boolean;
  readonly namedExports: boolean;
  readonly defaultIsNamespace: boolean;
  /** The package whose declarations describe this module when it ships none (`@types/better-sqlite3`). */
  readonly typesPackage?: string;
}

/** Where the API lives: exported by a module, or a global such as `Atomics`. */
export type ApiSource =
  | { readonly kind: 'module'; readonly module: CatalogModule }
  | { readonly kind: 'global' };

/**
 * Option values whose default differs between the sync API and its replacement. A rewrite sets them on
 * the options argument at `index` unless the call already sets that option.
 */
export interface OptionDefaults {
  readonly index: number;
  readonly values: Readonly<Record<string, string | number | boolean>>;
}

/**
 * How to rewrite a call to the async replacement.
 *
 * `call` is an expression template: `$fn` is the local binding of the replacement (the promisified
 * function when `promisify` is true) and `$args` the original argument list, unchanged.
 * `await $fn($args)` means "same arguments, same result"; `(await $fn($args)).stdout` picks the field
 * that carries the sync API's return value.
 */
export interface AsyncReplacement {
  readonly module: string;
  /** Export path inside `module`; dotted for members (`promises.readFile`). */
  readonly export: string;
  /** Reach the export through the default import (`fg.glob`), because the module has no ESM named exports. */
  readonly viaDefault: boolean;
  /** Wrap the export in `util.promisify` from `node:util` (Node-style callback API). */
  readonly promisify: boolean;
  readonly call: string;
  readonly optionDefaults?: OptionDefaults;
  /**
   * The TypeScript type of the result, cast in TypeScript files where `promisify` loses it (an
   * overloaded callback API such as `scrypt` resolves `unknown`).
   */
  readonly resultType?: string;
  /**
   * Options of the sync API that the replacement ignores (`statSync`'s `throwIfNoEntry`): a call that
   * sets one, or whose options cannot be read, is left for a person.
   */
  readonly unsupportedOptions?: { readonly index: number; readonly names: readonly string[] };
  /** A difference in behaviour a reviewer should know about; shown next to suggestions. */
  readonly caveat?: string;
  /** False when the result needs a human (types or control flow differ); codemods then report instead of rewriting. */
  readonly automatic: boolean;
  /** Platforms where the replacement exists (`process.platform` values); absent means everywhere. */
  readonly platforms?: readonly string[];
}

/**
 * One blocking API.
 *
 * `exportPath` forms: `readFileSync` (an export), `realpathSync.native` (a member of an export),
 * `Statement#all` (a method of instances of a type the module declares), `Atomics.wait` (a global path).
 * `invocation: 'construct'` means `new X()` blocks (opening a database file).
 */
export interface BlockingApi {
  readonly id: string;
  readonly source: ApiSource;
  readonly exportPath: string;
  readonly invocation: 'call' | 'construct';
  readonly kind: BlockingKind;
  /** One line, shown to users: why this call hurts a server. */
  readonly reason: string;
  /** The Node.js version that added a builtin API, when newer than the oldest supported Node. */
  readonly since?: string;
  readonly replacement?: AsyncReplacement;
  /** What to do instead when there is no mechanical replacement. */
  readonly advice?: string;
}

/** An export that looks blocking by name but is deliberately not in the catalog, with the reason. */
export interface NonBlockingExport {
  readonly module: string;
  readonly exportPath: string;
  readonly reason: string;
}

/**
 * A user's own blocking API, given in configuration (JSON-friendly).
 *
 * @example
 * { module: 'legacy-db', export: 'querySync', kind: 'sqlite', reason: '`querySync` waits for the database on the main thread.' }
 */
export interface BlockingApiDefinition {
  /** Module specifier (`legacy-db`), or omit and set `global`. */
  readonly module?: string;
  /** Global path such as `myRuntime.sleepSync`. */
  readonly global?: string;
  /** Export path, same forms as `BlockingApi.exportPath`; required with `module`. */
  readonly export?: string;
  readonly invocation?: 'call' | 'construct';
  readonly kind: BlockingKind;
  readonly reason: string;
  readonly advice?: string;
  readonly replacement?: {
    readonly module: string;
    readonly export: string;
    readonly viaDefault?: boolean;
    readonly promisify?: boolean;
    readonly call?: string;
    readonly caveat?: string;
    readonly automatic?: boolean;
  };
}

/**
 * A loop that waits by spinning on a clock, described as a pattern rather than an API:
 * a `while`/`do…while`/`for` whose condition reads one of `clocks` and whose body neither awaits nor yields.
 */
export interface BusyWaitPattern {
  readonly id: string;
  readonly kind: 'sync-wait';
  readonly loops: readonly ('while' | 'do-while' | 'for')[];
  /** Callee paths that read a clock (`Date.now`, `performance.now`, …) and constructors read by a method (`new Date().getTime`). */
  readonly clocks: readonly string[];
  readonly reason: string;
  readonly advice: string;
  readonly example: string;
}
