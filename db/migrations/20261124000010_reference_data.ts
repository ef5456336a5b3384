// The reference data invoices are checked against: the vendor master (with every bank account it
// has held, so a change has a history), purchase orders with their lines, and goods receipts.
// Amounts are integers in minor units of the PO's currency.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('vendors', (table) => {
    table.string('vendor_id', 64).primary();
    table.text('name').notNullable();
    table.string('tax_id', 64);
    table.string('status', 20).notNullable();
    table.jsonb('addresses').notNullable();
    table.string('payment_terms', 100);
    table.integer('invoices_paid').notNullable().defaultTo(0);
    table.timestamp('first_seen', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await db.schema.createTable('vendor_bank_accounts', (table) => {
    table.bigIncrements('id');
    table.string('vendor_id', 64).notNullable().references('vendors.vendor_id');
    table.string('iban', 34).notNullable();
    table.string('changed_by', 200).notNullable();
    table.timestamp('since', { useTz: true }).notNullable();
    table.index(['vendor_id', 'since']);
  });
  await db.schema.createTable('purchase_orders', (table) => {
    table.string('po_number', 64).primary();
    table.string('vendor_id', 64).notNullable().references('vendors.vendor_id');
    table.string('currency', 3).notNullable();
    table.date('issued_on').notNullable();
  });
  await db.schema.createTable('purchase_order_lines', (table) => {
    table.string('po_number', 64).notNullable().references('purchase_orders.po_number').onDelete('CASCADE');
    table.integer('line_no').notNullable();
    table.text('description').notNullable();
    table.decimal('quantity', 14, 3).notNullable();
    table.bigInteger('unit_price').notNullable();
    table.decimal('invoiced_quantity', 14, 3).notNullable().defaultTo(0);
    table.primary(['po_number', 'line_no']);
  });
  await db.schema.createTable('goods_receipts', (table) => {
    table.bigIncrements('id');
    table.string('po_number', 64).notNullable();
    table.integer('line_no').notNullable();
    table.decimal('quantity', 14, 3).notNullable();
    table.date('received_on').notNullable();
    table.foreign(['po_number', 'line_no']).references(['po_number', 'line_no']).inTable('purchase_order_lines');
    table.index(['po_number']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('goods_receipts');
  await db.schema.dropTable('purchase_order_lines');
  await db.schema.dropTable('purchase_orders');
  await db.schema.dropTable('vendor_bank_accounts');
  await db.schema.dropTable('vendors');
}
