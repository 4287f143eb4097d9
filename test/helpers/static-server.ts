/**
 * A static server over a build folder for tests (the same server as
 * `tei-edition serve`, without live reload), on 127.0.0.1 and a free port.
 */
import { startStaticServer, type StaticServer } from '../../src/serve.ts';

export async function serveDir(root: string, options: { liveReload?: boolean } = {}): Promise<StaticServer> {
  return startStaticServer({ root, port: 0, liveReload: options.liveReload ?? false });
}
