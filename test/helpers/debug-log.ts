/** The build's debug log (tei-edition:build) in tests: what a build says it did. */
import createDebug from 'debug';

/** Runs `act` with the build's debug log captured: its lines. */
export async function debugLog(act: () => Promise<void>): Promise<string[]> {
  const said: string[] = [];
  const namespaces = createDebug.disable();
  const log = createDebug.log;
  createDebug.enable('tei-edition:build');
  createDebug.log = (...args: unknown[]) => void said.push(args.map(String).join(' '));
  try {
    await act();
  } finally {
    createDebug.log = log;
    createDebug.disable();
    if (namespaces) createDebug.enable(namespaces);
  }
  return said;
}
