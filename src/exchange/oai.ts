/**
 * OAI-PMH 2.0 Static Repository (exchange/oai-pmh.xml): Identify,
 * ListMetadataFormats (oai_dc) and ListRecords with one oai_dc record per
 * document. A static repository must state its base URL and an admin e-mail
 * address (config `baseUrl`, `adminEmail`); without them no file is written.
 * The file is given in pieces (Chunks): one per record.
 */
import type { EditionConfig } from '../config.js';
import { joined, type Chunks } from '../model.js';
import { escapeXml, stripProlog } from './context.js';

export const STATIC_NS = 'http://www.openarchives.org/OAI/2.0/static-repository';
export const OAI_NS = 'http://www.openarchives.org/OAI/2.0/';

/** oai:<host>:<id> (OAI identifier syntax: the repository's domain name, then the local id). */
export function oaiIdentifier(baseUrl: string, id: string): string {
  return `oai:${new URL(baseUrl).hostname}:${id}`;
}

export function staticRepository(
  config: EditionConfig,
  records: { id: string; dc: string }[],
  timestamp: string,
): Chunks {
  const day = timestamp.slice(0, 10);
  const recs = records.map(
    (r) =>
      `<oai:record><oai:header><oai:identifier>${escapeXml(oaiIdentifier(config.baseUrl, r.id))}</oai:identifier><oai:datestamp>${day}</oai:datestamp></oai:header>` +
      `<oai:metadata>${stripProlog(r.dc).trim()}</oai:metadata></oai:record>`,
  );
  const head = `<?xml version="1.0" encoding="UTF-8"?>
<Repository xmlns="${STATIC_NS}" xmlns:oai="${OAI_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${STATIC_NS} http://www.openarchives.org/OAI/2.0/static-repository.xsd">
<Identify>
<oai:repositoryName>${escapeXml(config.title)}</oai:repositoryName>
<oai:baseURL>${escapeXml(config.baseUrl)}exchange/oai-pmh.xml</oai:baseURL>
<oai:protocolVersion>2.0</oai:protocolVersion>
<oai:adminEmail>${escapeXml(config.adminEmail ?? '')}</oai:adminEmail>
<oai:earliestDatestamp>${day}</oai:earliestDatestamp>
<oai:deletedRecord>no</oai:deletedRecord>
<oai:granularity>YYYY-MM-DD</oai:granularity>
</Identify>
<ListMetadataFormats>
<oai:metadataFormat><oai:metadataPrefix>oai_dc</oai:metadataPrefix><oai:schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</oai:schema><oai:metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/</oai:metadataNamespace></oai:metadataFormat>
</ListMetadataFormats>
<ListRecords metadataPrefix="oai_dc">
`;
  const tail = `
</ListRecords>
</Repository>
`;
  return [head, ...joined(recs, '\n'), tail];
}
