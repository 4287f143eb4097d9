/**
 * The one timestamp the exchange formats need (CMIF publicationStmt/date/@when,
 * OAI-PMH datestamps): SOURCE_DATE_EPOCH when set (reproducible builds), else
 * the newest modification time of the documents' sources. Never the clock, so
 * rebuilding unchanged sources gives byte-identical files.
 */
import { statSync } from 'node:fs';

/** (One stat after the other, synchronously: 10 000 awaited stats take twice as long.) */
export function sourceTimestamp(files: string[]): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  let ms = 0;
  if (epoch && /^\d+$/.test(epoch)) ms = Number(epoch) * 1000;
  else {
    for (const f of files) {
      try {
        ms = Math.max(ms, statSync(f).mtimeMs);
      } catch {
        // a vanished source does not date the edition
      }
    }
  }
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}
