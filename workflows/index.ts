// The workflow bundle's entry point: only workflow functions, nothing that touches Node.
export { ticketWorkflow } from './ticket';
export { invoiceWorkflow } from './invoice';
export { governorWorkflow } from './governor';
export { invoiceAuditWorkflow } from './invoice-audit';
