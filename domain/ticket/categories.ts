// The categories a ticket is routed to (one team's queue each), and which category owns each of
// the classifier's fine-grained BANKING77 intents: an organisational mapping, not a classifier.

export const TICKET_CATEGORIES = [
  'cards',
  'payments',
  'transfers',
  'top_ups',
  'cash',
  'account_security',
  'fx',
  'general',
] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

const OWNERS: Record<TicketCategory, readonly string[]> = {
  cards: [
    'activate_my_card',
    'card_about_to_expire',
    'card_acceptance',
    'card_arrival',
    'card_delivery_estimate',
    'card_linking',
    'card_not_working',
    'card_swallowed',
    'contactless_not_working',
    'disposable_card_limits',
    'get_disposable_virtual_card',
    'get_physical_card',
    'getting_spare_card',
    'getting_virtual_card',
    'lost_or_stolen_card',
    'order_physical_card',
    'supported_cards_and_currencies',
    'virtual_card_not_working',
    'visa_or_mastercard',
    'apple_pay_or_google_pay',
    'change_pin',
    'pin_blocked',
  ],
  payments: [
    'card_payment_fee_charged',
    'card_payment_not_recognised',
    'declined_card_payment',
    'direct_debit_payment_not_recognised',
    'extra_charge_on_statement',
    'pending_card_payment',
    'Refund_not_showing_up',
    'request_refund',
    'reverted_card_payment?',
    'transaction_charged_twice',
  ],
  transfers: [
    'balance_not_updated_after_bank_transfer',
    'beneficiary_not_allowed',
    'cancel_transfer',
    'declined_transfer',
    'failed_transfer',
    'pending_transfer',
    'receiving_money',
    'transfer_fee_charged',
    'transfer_into_account',
    'transfer_not_received_by_recipient',
    'transfer_timing',
  ],
  top_ups: [
    'automatic_top_up',
    'pending_top_up',
    'top_up_by_bank_transfer_charge',
    'top_up_by_card_charge',
    'top_up_by_cash_or_cheque',
    'top_up_failed',
    'top_up_limits',
    'top_up_reverted',
    'topping_up_by_card',
    'verify_top_up',
    'balance_not_updated_after_cheque_or_cash_deposit',
  ],
  cash: [
    'atm_support',
    'cash_withdrawal_charge',
    'cash_withdrawal_not_recognised',
    'declined_cash_withdrawal',
    'pending_cash_withdrawal',
    'wrong_amount_of_cash_received',
    'wrong_exchange_rate_for_cash_withdrawal',
  ],
  account_security: [
    'age_limit',
    'compromised_card',
    'edit_personal_details',
    'lost_or_stolen_phone',
    'passcode_forgotten',
    'terminate_account',
    'unable_to_verify_identity',
    'verify_my_identity',
    'verify_source_of_funds',
    'why_verify_identity',
  ],
  fx: [
    'card_payment_wrong_exchange_rate',
    'exchange_charge',
    'exchange_rate',
    'exchange_via_app',
    'fiat_currency_support',
  ],
  general: ['country_support'],
};

const CATEGORY_OF_INTENT: ReadonlyMap<string, TicketCategory> = new Map(
  (Object.entries(OWNERS) as [TicketCategory, readonly string[]][]).flatMap(([category, intents]) =>
    intents.map((intent) => [intent, category] as const),
  ),
);

/** The category that owns an intent; unknown intents (a newer model, an LLM) go to `general`. */
export function categoryOf(intent: string): TicketCategory {
  return CATEGORY_OF_INTENT.get(intent) ?? 'general';
}
