// IBAN validity by its own check digits (ISO 13616, mod 97): a mistyped or invented account in
// the vendor master is refused at the edge rather than discovered when a payment bounces.
import { normaliseIban } from './reference';

/** Why the text is not a valid IBAN, or null when it is. */
export function ibanProblem(iban: string): string | null {
  const compact = normaliseIban(iban);
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(compact))
    return 'is not an IBAN (country, check digits, 11-30 letters or digits)';
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1 ? null : 'fails its check digits';
}
