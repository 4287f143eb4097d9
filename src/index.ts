/** Public API of tei-edition. */
export { build, type BuildOptions, type BuildResult, type Manifest } from './pipeline.js';
export { loadConfig, DEFAULT_CONFIG, type EditionConfig, type FormatName } from './config.js';
export { diagnostic, formatLine, formatWithFrame, formatGithub, toJson, type JsonDiagnostic } from './diagnostics.js';
export { loadDocument, checkText, type LoadedDocument } from './stages/load.js';
export type { Format, BuildContext, BuiltDocument } from './formats/types.js';
export type { DocMeta, RegisterEntry, OutputFile } from './model.js';
