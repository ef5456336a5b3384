// The workflow bundle's entry point: only workflow functions, nothing that touches Node.
export { ticketWorkflow } from './ticket';
export { governorWorkflow } from './governor';
