/**
 * A seeded synthetic corpus of letters for the benchmark: each letter 6–10 KB,
 * with a full header (title, publication, msIdentifier, correspDesc with sender,
 * addressee, places and dates), an opener and closer, 6–10 paragraphs with
 * names, places and dates pointing at one shared register file, and footnotes.
 * Everything is made up (names from syllables, words from a fixed list); the
 * same seed gives the same files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the of and to in that it was for on with as his her by at from this had not but be which have one you were all they ' +
  'their an we been has more when who would there so if what about out up into than them can only other new some could ' +
  'time these two may then do first any my now such like our over man me even most made after also did many before must ' +
  'through back years where much your way well down should because each just those people how too little state good very ' +
  'make world still own see men work long get here between both life being under never day same another know while last ' +
  'might us great old year off come since against go came right used take three letter journey theatre manuscript evening ' +
  'proofs publisher review chapter winter summer visit illness concert rehearsal promise answer telegram afternoon friendship'
).split(' ');
const SYL = ['an', 'ber', 'cel', 'da', 'el', 'fen', 'gar', 'hel', 'ir', 'jo', 'kar', 'lis', 'mor', 'nel', 'or', 'pet', 'ra', 'sel', 'tor', 'ul', 'vin', 'wal', 'ze'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

interface Register {
  persons: { id: string; forename: string; surname: string }[];
  places: { id: string; name: string }[];
}

function makeRegister(r: () => number, persons: number, places: number): Register {
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
  const word = (n: number) => cap(Array.from({ length: n }, () => pick(SYL)).join(''));
  return {
    persons: Array.from({ length: persons }, (_, i) => ({ id: `p${i + 1}`, forename: word(2), surname: word(2 + Math.floor(r() * 2)) })),
    places: Array.from({ length: places }, (_, i) => ({ id: `pl${i + 1}`, name: word(2 + Math.floor(r() * 2)) })),
  };
}

function registerXml(reg: Register): string {
  const persons = reg.persons
    .map((p) => `        <person xml:id="${p.id}"><persName><forename>${p.forename}</forename> <surname>${p.surname}</surname></persName><note>Synthetic person for the benchmark.</note></person>`)
    .join('\n');
  const places = reg.places.map((p) => `        <place xml:id="${p.id}" type="city"><placeName>${p.name}</placeName></place>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="register">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Register of the benchmark corpus</title></titleStmt>
      <publicationStmt><p>Synthetic data for tei-edition's benchmark.</p></publicationStmt>
      <sourceDesc><p>Generated.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <listPerson>
${persons}
      </listPerson>
      <listPlace>
${places}
      </listPlace>
    </body>
  </text>
</TEI>
`;
}

function isoDate(r: () => number): { iso: string; label: string } {
  const y = 1880 + Math.floor(r() * 50);
  const m = 1 + Math.floor(r() * 12);
  const d = 1 + Math.floor(r() * 28);
  return { iso: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`, label: `${d} ${MONTHS[m - 1]} ${y}` };
}

function letterXml(n: number, r: () => number, reg: Register): string {
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
  const id = `L${String(n).padStart(5, '0')}`;
  const from = pick(reg.persons);
  const to = pick(reg.persons);
  const fromPlace = pick(reg.places);
  const toPlace = pick(reg.places);
  const date = isoDate(r);
  const name = (p: Register['persons'][number]) => `${p.forename} ${p.surname}`;
  const words = (k: number) => Array.from({ length: k }, () => pick(WORDS)).join(' ');
  let notes = 0;
  const sentence = (): string => {
    const parts: string[] = [cap(words(4 + Math.floor(r() * 6)))];
    const x = r();
    if (x < 0.35) {
      const p = pick(reg.persons);
      parts.push(`<persName ref="#${p.id}">${r() < 0.5 ? p.surname : name(p)}</persName>`);
    } else if (x < 0.6) {
      const p = pick(reg.places);
      parts.push(`<placeName ref="#${p.id}">${p.name}</placeName>`);
    } else if (x < 0.75) {
      const d = isoDate(r);
      parts.push(`<date when="${d.iso}">${d.label}</date>`);
    }
    parts.push(words(5 + Math.floor(r() * 8)));
    let s = parts.join(' ') + '.';
    if (r() < 0.12) {
      notes++;
      const p = pick(reg.persons);
      s += `<note type="commentary" place="foot">On this point see the letter to <persName ref="#${p.id}">${name(p)}</persName>; ${words(10 + Math.floor(r() * 10))}.</note>`;
    }
    return s;
  };
  const paras: string[] = [];
  const count = 6 + Math.floor(r() * 5);
  for (let i = 0; i < count; i++) {
    const sentences = 4 + Math.floor(r() * 4);
    paras.push(`        <p>${Array.from({ length: sentences }, sentence).join(' ')}</p>`);
  }
  void notes;
  return `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="${id}">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title level="a">${name(from)} to ${name(to)}, ${date.label}</title>
        <editor>Bench Editor</editor>
      </titleStmt>
      <publicationStmt>
        <publisher>tei-edition benchmark</publisher>
        <availability><licence target="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</licence></availability>
        <idno type="bench">${id}</idno>
      </publicationStmt>
      <sourceDesc>
        <msDesc>
          <msIdentifier>
            <country>Nowhere</country>
            <settlement>${fromPlace.name}</settlement>
            <repository>Synthetic Archive</repository>
            <idno>Box ${1 + (n % 97)}, folder ${1 + (n % 13)}, no. ${n}</idno>
          </msIdentifier>
        </msDesc>
      </sourceDesc>
    </fileDesc>
    <profileDesc>
      <correspDesc>
        <correspAction type="sent">
          <persName ref="#${from.id}">${name(from)}</persName>
          <placeName ref="#${fromPlace.id}">${fromPlace.name}</placeName>
          <date when="${date.iso}">${date.label}</date>
        </correspAction>
        <correspAction type="received">
          <persName ref="#${to.id}">${name(to)}</persName>
          <placeName ref="#${toPlace.id}">${toPlace.name}</placeName>
        </correspAction>
      </correspDesc>
    </profileDesc>
  </teiHeader>
  <text>
    <body>
      <div type="letter">
        <opener>
          <dateline><placeName ref="#${fromPlace.id}">${fromPlace.name}</placeName>, <date when="${date.iso}">${date.label}</date></dateline>
          <salute>Dear ${to.forename},</salute>
        </opener>
${paras.join('\n')}
        <closer>
          <salute>Yours ever,</salute>
          <signed><persName ref="#${from.id}">${from.forename}</persName></signed>
        </closer>
      </div>
    </body>
  </text>
</TEI>
`;
}

export interface GeneratedCorpus {
  dir: string;
  letters: string[];
  bytes: number;
}

/** Writes `count` letters (letters/L00001.xml …) and registers/register.xml under `dir`. */
export async function generateCorpus(dir: string, count: number, seed = 9): Promise<GeneratedCorpus> {
  const r = rng(seed);
  const reg = makeRegister(r, Math.max(50, Math.min(2000, Math.round(count / 5))), Math.max(20, Math.min(500, Math.round(count / 20))));
  await mkdir(path.join(dir, 'letters'), { recursive: true });
  await mkdir(path.join(dir, 'registers'), { recursive: true });
  const registerText = registerXml(reg);
  await writeFile(path.join(dir, 'registers', 'register.xml'), registerText);
  await writeFile(path.join(dir, 'edition.config.json'), JSON.stringify({ title: 'Benchmark letters', language: 'en' }, null, 2) + '\n');
  const letters: string[] = [];
  let bytes = Buffer.byteLength(registerText);
  for (let i = 1; i <= count; i++) {
    const file = path.join(dir, 'letters', `L${String(i).padStart(5, '0')}.xml`);
    const text = letterXml(i, r, reg);
    bytes += Buffer.byteLength(text);
    await writeFile(file, text);
    letters.push(file);
  }
  return { dir, letters, bytes };
}
