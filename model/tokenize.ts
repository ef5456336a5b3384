// Text to the terms the linear model sees: lower-cased word unigrams and bigrams, plus
// character trigrams inside words so that typos and inflections still share features.

const WORD = /[a-z0-9]+(?:'[a-z]+)?/g;

export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

export function terms(text: string): string[] {
  const ws = words(text);
  const out: string[] = [];
  for (let i = 0; i < ws.length; i++) {
    out.push(ws[i]);
    if (i + 1 < ws.length) out.push(`${ws[i]} ${ws[i + 1]}`);
    const padded = `<${ws[i]}>`;
    if (padded.length > 4) for (let j = 0; j + 3 <= padded.length; j++) out.push(`#${padded.slice(j, j + 3)}`);
  }
  return out;
}
