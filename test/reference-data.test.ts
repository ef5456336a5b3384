// The reference data invoices are checked against, through the API: ops keep the vendor master
// (bank account changes keep their history), purchase orders with lines and goods receipts;
// every role reads; bad input is refused with a reason and leaves nothing half-written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoReference } from '../db/seed-reference';
import { ibanProblem } from '../domain/invoice/iban';
import { HOLDER, KEYS, startTestStack, type TestStack } from './support/stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack(__filename);
});
afterAll(() => s?.stop());

const ops = (method: string, path: string, body?: unknown) => s.http(method, path, { key: KEYS.ops, body });

describe.sequential('reference data', () => {
  it('ops keep a vendor; a bank account change keeps the old one on record', async () => {
    const created = await ops('PUT', '/v1/vendors/V-1', {
      name: 'Acme Office Supply GmbH',
      taxId: 'DE123456789',
      addresses: ['Hauptstr. 1, 10115 Berlin'],
      paymentTerms: 'Net 30',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ vendorId: 'V-1', status: 'active', invoicesPaid: 0, bankAccounts: [] });
    expect((await ops('PUT', '/v1/vendors/V-1', { name: 'Acme Office Supply GmbH', status: 'active' })).status).toBe(
      200,
    );

    expect((await ops('POST', '/v1/vendors/V-1/bank-accounts', { iban: 'DE89 3704 0044 0532 0130 00' })).status).toBe(
      201,
    );
    const changed = await ops('POST', '/v1/vendors/V-1/bank-accounts', { iban: 'GB33BUKB20201555555555' });
    expect(changed.body.bankAccounts.map((account: { iban: string }) => account.iban)).toEqual([
      'DE89370400440532013000',
      'GB33BUKB20201555555555',
    ]);
    expect(changed.body.bankAccountChanges.at(-1)).toMatchObject({ changedBy: HOLDER.ops });

    const read = await s.http('GET', '/v1/vendors/V-1', { key: KEYS.auditor });
    expect(read.body.bankAccounts).toHaveLength(2);
    expect((await s.http('GET', '/v1/vendors', { key: KEYS.reviewer })).body.items).toEqual([
      { vendorId: 'V-1', name: 'Acme Office Supply GmbH', status: 'active' },
    ]);
  });

  it('refuses what it cannot keep: bad IBANs, unknown vendors, other roles', async () => {
    const badIban = await ops('POST', '/v1/vendors/V-1/bank-accounts', { iban: 'DE89370400440532013001' });
    expect(badIban).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/iban: fails its check digits/) } },
    });
    expect((await ops('POST', '/v1/vendors/V-404/bank-accounts', { iban: 'DE89370400440532013000' })).status).toBe(404);
    expect((await ops('PUT', '/v1/vendors/bad id!', { name: 'x' })).status).toBe(400);
    expect((await ops('PUT', '/v1/vendors/V-2', { name: '' })).status).toBe(400);
    const service = await s.http('PUT', '/v1/vendors/V-3', { key: KEYS.service, body: { name: 'Nope' } });
    expect(service.status).toBe(403);
    expect((await s.http('GET', '/v1/vendors/V-3', { key: KEYS.ops })).status).toBe(404);
  });

  it('a purchase order is stored with all its lines or not at all, and takes receipts for its lines', async () => {
    const po = {
      poNumber: 'PO-1',
      vendorId: 'V-1',
      currency: 'EUR',
      issuedOn: '2026-10-01',
      lines: [
        { lineNo: 1, description: 'Laptop stand', quantity: 10, unitPrice: 45.5 },
        { lineNo: 2, description: 'USB-C dock', quantity: 5, unitPrice: 120 },
      ],
    };
    const broken = await ops('POST', '/v1/purchase-orders', {
      ...po,
      lines: [po.lines[0], { ...po.lines[1], unitPrice: 1.234 }],
    });
    expect(broken).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/more than two decimals/) } },
    });
    expect((await s.http('GET', '/v1/purchase-orders/PO-1', { key: KEYS.auditor })).status).toBe(404);
    expect((await ops('POST', '/v1/purchase-orders', { ...po, vendorId: 'V-404' })).status).toBe(400);
    expect((await ops('POST', '/v1/purchase-orders', { ...po, issuedOn: '2026-02-30' })).status).toBe(400);
    expect(
      (await ops('POST', '/v1/purchase-orders', { ...po, lines: [po.lines[0], { ...po.lines[1], lineNo: 1 }] })).status,
    ).toBe(400);

    const created = await ops('POST', '/v1/purchase-orders', po);
    expect(created.status).toBe(201);
    expect(created.body.lines[0]).toEqual({
      lineNo: 1,
      description: 'Laptop stand',
      quantity: 10,
      unitPrice: 4550,
      invoicedQuantity: 0,
    });
    expect((await ops('POST', '/v1/purchase-orders', po)).status).toBe(409);

    expect(
      (await ops('POST', '/v1/purchase-orders/PO-1/receipts', { lineNo: 3, quantity: 1, receivedOn: '2026-10-05' }))
        .status,
    ).toBe(400);
    const received = await ops('POST', '/v1/purchase-orders/PO-1/receipts', {
      lineNo: 1,
      quantity: 6,
      receivedOn: '2026-10-05',
    });
    expect(received.status).toBe(201);
    expect(received.body.receipts).toEqual([{ poNumber: 'PO-1', lineNo: 1, quantity: 6, receivedOn: '2026-10-05' }]);
  });

  it('the demo seed writes only into an empty vendor master, with valid bank accounts', async () => {
    expect(await seedDemoReference(s.deps.db)).toBe(false); // V-1 is there
    await s.deps.db('goods_receipts').del();
    await s.deps.db('purchase_order_lines').del();
    await s.deps.db('purchase_orders').del();
    await s.deps.db('vendor_bank_accounts').del();
    await s.deps.db('vendors').del();
    expect(await seedDemoReference(s.deps.db)).toBe(true);
    const accounts = await s.deps.db('vendor_bank_accounts').select('iban');
    expect(accounts.length).toBeGreaterThanOrEqual(4);
    for (const { iban } of accounts) expect(ibanProblem(iban)).toBeNull();
    const po = (await s.http('GET', '/v1/purchase-orders/PO-1001', { key: KEYS.auditor })).body;
    expect(po).toMatchObject({ vendorId: 'V-ACME', lines: [{ unitPrice: 4500 }, { unitPrice: 12000 }] });
    expect(po.receipts).toHaveLength(2);
  });
});
