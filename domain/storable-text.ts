// Text that PostgreSQL cannot store: a NUL character (text and jsonb refuse U+0000) and lone UTF-16
// surrogates (no UTF-8 encoding exists for them). Refused at every entrance (API, workflow
// validators and signal handlers, the governor) so that no write can fail on it later; pure, so the
// workflow sandbox applies the same rule as the API.

const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why this string cannot be stored, or null when it can. */
export function unstorableTextProblem(text: string): string | null {
  if (NUL.test(text)) return 'contains a NUL character (U+0000), which cannot be stored';
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    const code = surrogate[0].charCodeAt(0).toString(16).toUpperCase();
    return `contains a lone surrogate (U+${code}), which is not valid Unicode text`;
  }
  return null;
}

/** The first string (or object key) anywhere in a JSON-like value that cannot be stored. */
export function findUnstorableText(value: unknown, path: string[] = []): { path: string; problem: string } | null {
  if (typeof value === 'string') {
    const problem = unstorableTextProblem(value);
    return problem ? { path: path.join('.'), problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = unstorableTextProblem(key);
      if (keyProblem) return { path: [...path, '(key)'].join('.'), problem: `a field name ${keyProblem}` };
      const found = findUnstorableText(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/**
 * A copy of a JSON-like value that PostgreSQL can store: NULs and lone surrogates become U+FFFD.
 * For the record of a case whose original could not be stored; the workflow's history keeps the
 * original.
 */
export function storableCopy<T>(value: T): T {
  if (typeof value === 'string') {
    return value.replace(
      /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      '\uFFFD',
    ) as T;
  }
  if (Array.isArray(value)) return value.map((item) => storableCopy(item)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableCopy(key), storableCopy(item)])) as T;
  }
  return value;
}
