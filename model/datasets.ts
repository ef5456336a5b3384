// Finds the raw data sets for training and evaluation: DATASETS_DIR, then ../shared/datasets,
// then the public source when the machine is online. Otherwise it says exactly what is missing.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface LabelledText {
  text: string;
  label: string;
}

const BANKING77_FILES = ['train.csv', 'test.csv'];
const BANKING77_SOURCE =
  'https://raw.githubusercontent.com/PolyAI-LDN/task-specific-datasets/57ec275d8078af65b7731c2a98be812d844a6d6b/banking_data';

export const BANKING77_ATTRIBUTION =
  'BANKING77 by PolyAI (Casanueva et al., 2020, "Efficient Intent Detection with Dual Sentence Encoders"), CC BY 4.0';

export const CLINC150_ATTRIBUTION =
  'CLINC150 / OOS-eval by Clinc (Larson et al., 2019, "An Evaluation Dataset for Intent Classification and Out-of-Scope Prediction"), CC BY 3.0';

export class DatasetMissingError extends Error {
  override name = 'DatasetMissingError';
}

/** Where to look for data sets: DATASETS_DIR (from the configuration) first, then beside the project. */
export interface DatasetPlaces {
  projectRoot: string;
  datasetsDir?: string;
}

export function candidateDirs({ projectRoot, datasetsDir }: DatasetPlaces): string[] {
  const dirs = [];
  if (datasetsDir) dirs.push(datasetsDir);
  dirs.push(resolve(projectRoot, '..', 'shared', 'datasets'));
  dirs.push(resolve(projectRoot, '.data', 'datasets'));
  return dirs;
}

export function findDataset(places: DatasetPlaces, name: string, files: string[]): string | null {
  for (const dir of candidateDirs(places)) {
    if (files.every((f) => existsSync(join(dir, name, f)))) return join(dir, name);
  }
  return null;
}

/** BANKING77's folder, downloading it into .data/datasets when it is nowhere on disk. */
export async function banking77Dir(places: DatasetPlaces): Promise<string> {
  const found = findDataset(places, 'banking77', BANKING77_FILES);
  if (found) return found;
  const target = join(places.projectRoot, '.data', 'datasets', 'banking77');
  try {
    for (const f of BANKING77_FILES) {
      const res = await fetch(`${BANKING77_SOURCE}/${f}`, { signal: AbortSignal.timeout(20_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status} for ${f}`);
      mkdirSync(target, { recursive: true });
      writeFileSync(join(target, f), Buffer.from(await res.arrayBuffer()));
    }
    return target;
  } catch (err) {
    throw new DatasetMissingError(
      `BANKING77 not found: looked for ${BANKING77_FILES.join(' and ')} in ` +
        candidateDirs(places)
          .map((d) => join(d, 'banking77'))
          .join(', ') +
        `, and downloading it failed (${(err as Error).message}). Set DATASETS_DIR to a folder holding banking77/.`,
    );
  }
}

/** Minimal CSV reader for `text,category` files: quoted fields with doubled quotes. */
export function readLabelledCsv(path: string): LabelledText[] {
  const rows: LabelledText[] = [];
  const src = readFileSync(path, 'utf8');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let header = true;
  const endRow = () => {
    fields.push(field);
    field = '';
    if (header) header = false;
    else if (fields.length >= 2 && fields[0] !== '') rows.push({ text: fields[0], label: fields[1].trim() });
    fields.length = 0;
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n') endRow();
    else if (ch !== '\r') field += ch;
  }
  if (field !== '' || fields.length) endRow();
  return rows;
}

export function sha256Of(paths: string[]): string {
  const h = createHash('sha256');
  for (const p of paths) h.update(readFileSync(p));
  return h.digest('hex');
}
