/** Errors of the validation inputs themselves (kept apart from schematron.ts, which loads SaxonJS). */
export class RulesError extends Error {
  constructor(message: string, readonly file: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RulesError';
  }
}
