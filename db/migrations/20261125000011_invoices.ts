// Invoices as cases: the uploaded document (bytes kept in PostgreSQL, one row per case; the same
// bytes from the same vendor are one document, which is what makes a resubmission a duplicate),
// and the register of invoices the fraud checks compare against (vendor, number, amount, date),
// with what became of each so an approved one is posted to its vendor and PO exactly once.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('invoice_documents', (table) => {
    table.string('case_id', 200).primary();
    table.string('sha256', 64).notNullable();
    /** The submitter's vendor id, or '' when none was named: part of the duplicate key. */
    table.string('vendor_key', 64).notNullable();
    table.binary('content').notNullable();
    table.integer('bytes').notNullable();
    table.integer('pages').notNullable();
    table.boolean('has_text_layer').notNullable();
    table.string('submitted_by', 200);
    table.integer('duplicate_submissions').notNullable().defaultTo(0);
    table.timestamp('last_duplicate_at', { useTz: true });
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.unique(['sha256', 'vendor_key']);
  });
  await db.schema.createTable('invoice_register', (table) => {
    table.string('case_id', 200).primary();
    table.string('vendor_id', 64);
    table.string('invoice_number', 200);
    table.bigInteger('total');
    table.string('currency', 3);
    table.date('issue_date');
    table.string('po_number', 64);
    /** Null while the case is open; then the decision's outcome. */
    table.string('outcome', 20);
    /** True once an approved invoice has been posted to its vendor and PO. */
    table.boolean('posted').notNullable().defaultTo(false);
    table.timestamp('registered_at', { useTz: true }).notNullable();
    table.index(['vendor_id', 'issue_date']);
  });
  // Approvals given so far on a case that needs several (four eyes): the reviewer sees who approved.
  await db.schema.alterTable('cases', (table) => {
    table.jsonb('approvals');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('cases', (table) => {
    table.dropColumn('approvals');
  });
  await db.schema.dropTable('invoice_register');
  await db.schema.dropTable('invoice_documents');
}
