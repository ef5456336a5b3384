// Writes a benchmark's latest figures into BENCHMARKS.md, between the markers of its section, with
// the machine they ran on: the file then says what the last run on this machine measured.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { temporalCli } from '../infra/dev-server';

const BENCHMARKS = join(__dirname, '..', 'BENCHMARKS.md');

export function machine(): string {
  let temporal = 'unknown';
  try {
    temporal = execFileSync(temporalCli({ install: false }), ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // a cluster of the user's, not a CLI here
  }
  const cpu = cpus();
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${temporal}`;
}

/** A Markdown table of rows (the keys of the first row are the columns). */
export function markdownTable(rows: Record<string, unknown>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const line = (cells: unknown[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(columns), line(columns.map(() => '---')), ...rows.map((row) => line(columns.map((c) => row[c])))].join(
    '\n',
  );
}

/**
 * Replaces the text between `<!-- bench:<name> -->` and `<!-- /bench:<name> -->`, formatted as the
 * project formats Markdown (so `npm run lint` stays green); false when the markers are missing.
 */
export async function writeSection(name: string, body: string): Promise<boolean> {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const text = readFileSync(BENCHMARKS, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) return false;
  const updated = `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
  const options = (await prettier.resolveConfig(BENCHMARKS)) ?? {};
  writeFileSync(BENCHMARKS, await prettier.format(updated, { ...options, filepath: BENCHMARKS }));
  return true;
}
