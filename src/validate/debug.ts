/**
 * `DEBUG=tei-edition:validate` timings. The debug package is loaded only when
 * DEBUG is set: validation is a short command, its start-up counts.
 */
export const debug: (format: string, ...args: unknown[]) => void = process.env.DEBUG
  ? (await import('debug')).default('tei-edition:validate')
  : () => undefined;
