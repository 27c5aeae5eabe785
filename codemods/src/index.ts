export { LoopguardCliError } from './errors.js';
export { runCli } from './cli/program.js';
export { formatJson, formatPretty } from './scan/report.js';
export { formatCodemodJson, formatCodemodPretty } from './engine/report.js';
export { scanProject, type ScanFinding, type ScanOptions, type ScanProgress, type ScanResult } from './scan/scan.js';
export { runCodemod, type CodemodProgress, type CodemodReport, type DroppedRewrite, type FileChange, type RejectedFile, type RunCodemodOptions } from './engine/run-codemod.js';
export { transforms } from './transforms/registry.js';
export type { Boundary, ManualSite, Rewrite, SourceLocation, Transform } from './transforms/types.js';
