export { LoopguardCliError } from './errors.js';
export { runCli } from './cli/program.js';
export { formatJson, formatPretty } from './scan/report.js';
export { scanProject, type ScanFinding, type ScanOptions, type ScanProgress, type ScanResult } from './scan/scan.js';
