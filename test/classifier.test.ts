// The committed model and the code around it: it loads, explains itself, survives a save/load
// round trip, and its calibration step recovers a known temperature.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { loadArtifact, saveArtifact } from '../model/artifact';
import { fitTemperature } from '../model/calibration';
import { LinearTicketClassifier } from '../model/classifier';
import { mulberry32, softmax } from '../model/softmax';
import { TICKET_CATEGORIES } from '../domain/ticket/categories';

const modelPath = loadConfig({}).modelPath;

describe('the committed ticket classifier', () => {
  const artifact = loadArtifact(modelPath);
  const classifier = new LinearTicketClassifier(artifact);

  it('carries its version, data hash and BANKING77 attribution', () => {
    expect(artifact.dataset.name).toBe('BANKING77');
    expect(artifact.dataset.attribution).toMatch(/PolyAI.*CC BY 4\.0/);
    expect(artifact.dataset.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(classifier.modelVersion).toBe(`${artifact.modelId}@${artifact.version}`);
    expect(artifact.labels).toHaveLength(78); // 77 intents and the out_of_scope background
    expect(artifact.dataset.background).toMatchObject({ name: 'CLINC150', licence: 'CC BY 3.0' });
  });

  it('classifies into an intent, its team, a runner-up, and the features that drove it', async () => {
    const c = await classifier.classify('I lost my card yesterday, please block it');
    expect(c.intent).toBe('lost_or_stolen_card');
    expect(c.category).toBe('cards');
    expect(TICKET_CATEGORIES).toContain(c.runnerUp!.category);
    expect(c.confidence).toBeGreaterThan(c.runnerUp!.confidence);
    expect(c.explanation.length).toBeGreaterThan(0);
    expect(c.explanation.map((e) => e.feature).join(' ')).toMatch(/lost|stolen/);
    expect(c.anomaly).toBe(false);
    expect(c.nearest).toHaveLength(3);
    expect(c.nearest!.map((n) => n.intent)).toContain('lost_or_stolen_card');
    expect(c.nearest![0].similarity).toBeGreaterThan(c.nearest![2].similarity - 1e-9);
  });

  it('calls a question from another domain an anomaly', async () => {
    expect((await classifier.classify('how many calories are in a banana')).anomaly).toBe(true);
  });

  it('flags text with nothing it knows as an anomaly', async () => {
    const c = await classifier.classify('zxqv wpfl');
    expect(c.anomaly).toBe(true);
    expect(c.oodScore).toBe(1);
  });

  it('predicts the same after a save and load', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'model-')), 'm.json.gz');
    saveArtifact(path, artifact);
    const again = new LinearTicketClassifier(loadArtifact(path));
    for (const text of ['where is my card', 'I was charged twice', 'exchange rate is wrong']) {
      expect(await again.classify(text)).toEqual(await classifier.classify(text));
    }
  });

  it('refuses a file that is not an artifact', () => {
    expect(() => loadArtifact(join(__dirname, 'domain.test.ts'))).toThrow(/cannot read model artifact/);
  });
});

describe('temperature scaling', () => {
  it('recovers the temperature that generated the labels', () => {
    const rand = mulberry32(7);
    const logits: Float64Array[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const z = Float64Array.from({ length: 5 }, () => rand() * 6);
      const p = softmax(z, 2.5);
      let u = rand();
      let y = 0;
      while (y < 4 && u > p[y]) u -= p[y++];
      logits.push(z);
      ys.push(y);
    }
    expect(fitTemperature(logits, ys)).toBeCloseTo(2.5, 0);
  });
});
