// The invoice's part of a case view: what was submitted (and where reviewers fetch the PDF), and
// the agent's assessment: the fields read with their confidences, the PO match, the fraud signals
// with their weights, who must approve and who has, and why the agent does not approve alone.
// The assessment is withheld while the proposal is hidden (shutdown); the document never is.
import type { CaseRecord } from '../../db/cases';
import type { Approval } from '../../domain/case';
import type { FraudAssessment } from '../../domain/invoice/fraud';
import type { MatchResult } from '../../domain/invoice/po-matching';
import type { InvoiceAssessment, InvoiceFacts, InvoiceInput, ReadField } from '../../domain/invoice/types';

export interface InvoiceSuggestionView {
  /** `pay`: nothing speaks against paying it; `hold`: something does (see the findings). */
  category: InvoiceAssessment['category'];
  confidence: number;
  vendorId: string | null;
  facts: InvoiceFacts;
  fields: Record<string, ReadField>;
  extractionProblems: string[];
  match: MatchResult;
  fraud: FraudAssessment;
  approvers: InvoiceAssessment['approvers'];
  explanation: string[];
  unreadable: InvoiceAssessment['unreadable'];
}

export interface InvoiceParts {
  invoice: {
    vendorId: string | null;
    poNumber: string | null;
    submittedBy: string | null;
    document: InvoiceInput['document'] & { href: string };
    /** Approvals given so far (four eyes: the first waits for the second). */
    approvals: Approval[];
  };
  suggestion: InvoiceSuggestionView | null;
}

export function invoiceParts(record: CaseRecord, hidden: boolean): InvoiceParts {
  const input = record.input as Omit<InvoiceInput, 'externalId'>;
  const assessment = record.suggestion as InvoiceAssessment | null;
  return {
    invoice: {
      vendorId: input.vendorId ?? null,
      poNumber: input.poNumber ?? null,
      submittedBy: input.submittedBy ?? null,
      document: { ...input.document, href: `/v1/cases/${record.caseId}/document` },
      approvals: record.approvals ?? [],
    },
    suggestion:
      assessment && !hidden
        ? {
            category: assessment.category,
            confidence: assessment.confidence,
            vendorId: assessment.vendorId,
            facts: assessment.invoice,
            fields: assessment.fields,
            extractionProblems: assessment.extractionProblems,
            match: assessment.match,
            fraud: assessment.fraud,
            approvers: assessment.approvers,
            explanation: assessment.explanation ?? [],
            unreadable: assessment.unreadable,
          }
        : null,
  };
}
