declare module 'saxon-js' {
  interface TransformOptions {
    stylesheetFileName?: string;
    stylesheetInternal?: unknown;
    stylesheetText?: string;
    sourceNode?: unknown;
    sourceText?: string;
    destination?: 'serialized' | 'raw' | 'document' | 'application' | 'file' | 'stdout';
    stylesheetParams?: Record<string, unknown>;
    baseOutputURI?: string;
    outputProperties?: Record<string, unknown>;
    deliverMessage?: (messageNode: unknown, errorCode: unknown) => void;
    deliverResultDocument?: (uri: string) => { destination: string; save?: unknown };
    initialTemplate?: string;
    templateParams?: Record<string, unknown>;
    collations?: unknown;
  }
  interface TransformResult {
    principalResult: unknown;
    resultDocuments: Record<string, unknown>;
  }
  interface SaxonJSStatic {
    transform(options: TransformOptions, mode: 'async'): Promise<TransformResult>;
    transform(options: TransformOptions, mode?: 'sync'): TransformResult;
    getResource(options: { text?: string; file?: string; type: 'xml' | 'json' | 'text'; baseURI?: string }): Promise<unknown>;
    serialize(node: unknown, options?: Record<string, unknown>): string;
    XPath: { evaluate(xpath: string, context?: unknown, options?: Record<string, unknown>): unknown };
    getProcessorInfo(): Record<string, unknown>;
  }
  const SaxonJS: SaxonJSStatic;
  export default SaxonJS;
}
