// A reliability diagram as a self-contained SVG: observed accuracy per confidence bin against the
// diagonal of perfect calibration, with the bins' ticket counts underneath.
import type { ReliabilityBin } from './metrics';

export function reliabilitySvg(
  series: { name: string; color: string; bins: ReliabilityBin[]; ece: number }[],
  title: string,
): string {
  const W = 560;
  const H = 560;
  const m = { left: 60, right: 20, top: 50, bottom: 120 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const x = (v: number) => m.left + v * pw;
  const y = (v: number) => m.top + (1 - v) * ph;
  const parts: string[] = [];
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(
    `<text x="${W / 2}" y="28" text-anchor="middle" font-size="16" font-family="sans-serif">${escape(title)}</text>`,
  );
  for (let i = 0; i <= 5; i++) {
    const v = i / 5;
    parts.push(`<line x1="${x(0)}" y1="${y(v)}" x2="${x(1)}" y2="${y(v)}" stroke="#eee"/>`);
    parts.push(
      `<text x="${x(0) - 8}" y="${y(v) + 4}" text-anchor="end" font-size="11" font-family="sans-serif">${v.toFixed(1)}</text>`,
    );
    parts.push(
      `<text x="${x(v)}" y="${y(0) + 16}" text-anchor="middle" font-size="11" font-family="sans-serif">${v.toFixed(1)}</text>`,
    );
  }
  parts.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 4"/>`);
  parts.push(`<rect x="${x(0)}" y="${y(1)}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  parts.push(
    `<text x="${x(0.5)}" y="${y(0) + 34}" text-anchor="middle" font-size="12" font-family="sans-serif">confidence</text>`,
  );
  parts.push(
    `<text transform="translate(16 ${y(0.5)}) rotate(-90)" text-anchor="middle" font-size="12" font-family="sans-serif">accuracy</text>`,
  );
  const maxCount = Math.max(1, ...series.flatMap((s) => s.bins.map((b) => b.count)));
  series.forEach((line, si) => {
    const points = line.bins
      .filter((b) => b.count > 0)
      .map((b) => `${x(b.confidence).toFixed(1)},${y(b.accuracy).toFixed(1)}`);
    parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${line.color}" stroke-width="2"/>`);
    for (const b of line.bins.filter((b) => b.count > 0)) {
      parts.push(
        `<circle cx="${x(b.confidence).toFixed(1)}" cy="${y(b.accuracy).toFixed(1)}" r="3.5" fill="${line.color}"/>`,
      );
    }
    const band = y(0) + 48 + si * 30;
    for (const b of line.bins) {
      const h = (b.count / maxCount) * 24;
      const bw = pw / line.bins.length / series.length;
      parts.push(
        `<rect x="${(x(b.from) + si * bw).toFixed(1)}" y="${(band + 24 - h).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${line.color}" opacity="0.6"/>`,
      );
    }
    parts.push(
      `<text x="${x(0) - 8}" y="${band + 20}" text-anchor="end" font-size="10" font-family="sans-serif" fill="${line.color}">n/bin</text>`,
    );
    parts.push(
      `<text x="${x(0) + 10}" y="${y(1) + 20 + si * 18}" font-size="12" font-family="sans-serif" fill="${line.color}">${escape(line.name)} (ECE ${line.ece.toFixed(3)})</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">\n${parts.join('\n')}\n</svg>\n`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
