// Amounts as each language writes them on an invoice, for the generated evaluation sets.
export type Language = 'en' | 'de' | 'fr';

/** 1,234.56 in English, 1.234,56 in German, 1 234,56 in French (the space as given: some write a no-break one). */
export function writtenAmount(value: number, language: Language, frenchGroup = ' '): string {
  const [whole, cents] = value.toFixed(2).split('.');
  const group = (separator: string) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  if (language === 'en') return `${group(',')}.${cents}`;
  if (language === 'de') return `${group('.')},${cents}`;
  return `${group(frenchGroup)},${cents}`;
}
