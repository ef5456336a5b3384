// What differs between kinds of case that shared code must know: the categories each routes to.
import type { CaseKind } from './case';
import { TICKET_CATEGORIES } from './ticket/categories';

export const CATEGORIES_OF_KIND: Record<CaseKind, readonly string[]> = {
  ticket: TICKET_CATEGORIES,
};
