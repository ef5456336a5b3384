// `npm run bench` (part 1): what the classifier costs a worker. Load time, per-ticket latency and
// single-core throughput, and the memory the loaded model holds. Prints figures; asserts nothing.
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../config';
import { LinearTicketClassifier } from '../model/classifier';

function percentile(sorted: number[], quantile: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))];
}

export async function benchClassifier(): Promise<Record<string, number>> {
  const { modelPath } = loadConfig();
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  global.gc?.();
  const before = used();
  let classifier = LinearTicketClassifier.fromFile(modelPath);
  global.gc?.();
  const modelMiB = (used() - before) / 1024 / 1024;
  const loads: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    classifier = LinearTicketClassifier.fromFile(modelPath);
    loads.push(performance.now() - t);
  }
  // The training tickets the artifact ships with: realistic lengths, always available.
  const texts = classifier.artifact.examples.map((e) => e.text);
  for (const t of texts.slice(0, 500)) await classifier.classify(t); // warm-up
  const lat: number[] = [];
  const started = performance.now();
  for (const t of texts) {
    const s = performance.now();
    await classifier.classify(t);
    lat.push(performance.now() - s);
  }
  const seconds = (performance.now() - started) / 1000;
  lat.sort((a, b) => a - b);
  loads.sort((a, b) => a - b);
  return {
    tickets: texts.length,
    loadMsMedian: +loads[2].toFixed(1),
    classifyMsP50: +percentile(lat, 0.5).toFixed(3),
    classifyMsP99: +percentile(lat, 0.99).toFixed(3),
    ticketsPerSecondOneCore: Math.round(texts.length / seconds),
    modelMemoryMiB: +modelMiB.toFixed(1),
  };
}

if (require.main === module) {
  benchClassifier().then(
    (r) => console.table(r),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
