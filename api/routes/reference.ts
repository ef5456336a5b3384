// The reference data invoices are checked against: anyone authenticated reads it, ops write it.
import { Router } from 'express';
import type { Knex } from 'knex';
import {
  addBankAccount,
  addReceipt,
  getPurchaseOrder,
  getVendor,
  insertPurchaseOrder,
  listReceipts,
  listVendors,
  upsertVendor,
} from '../../db/reference';
import { READER_ROLES } from '../../domain/roles';
import { requireRole } from '../auth';
import { ApiError, notFound } from '../errors';
import {
  BankAccountBody,
  ListQuery,
  PurchaseOrderBody,
  ReceiptBody,
  ReferenceId,
  VendorBody,
} from '../reference-schemas';

const param = (value: unknown, field: string): string => {
  const parsed = ReferenceId.safeParse(value);
  if (!parsed.success) throw new ApiError(400, 'invalid_request', `${field}: ${parsed.error.issues[0].message}`, field);
  return parsed.data;
};

export function referenceRoutes(db: Knex): Router {
  const router = Router();

  router.get('/vendors', requireRole(...READER_ROLES), async (req, res) => {
    const { limit } = ListQuery.parse(req.query);
    res.json({ items: await listVendors(db, limit) });
  });
  router.get('/vendors/:vendorId', requireRole(...READER_ROLES), async (req, res) => {
    const vendor = await getVendor(db, param(req.params.vendorId, 'vendorId'));
    if (!vendor) throw notFound(`vendor ${String(req.params.vendorId)}`);
    res.json(vendor);
  });
  router.put('/vendors/:vendorId', requireRole('ops'), async (req, res) => {
    const vendorId = param(req.params.vendorId, 'vendorId');
    const body = VendorBody.parse(req.body);
    const created = await upsertVendor(
      db,
      {
        vendorId,
        name: body.name,
        taxId: body.taxId ?? null,
        status: body.status,
        addresses: body.addresses,
        paymentTerms: body.paymentTerms ?? null,
      },
      new Date(),
    );
    res.status(created ? 201 : 200).json(await getVendor(db, vendorId));
  });
  router.post('/vendors/:vendorId/bank-accounts', requireRole('ops'), async (req, res) => {
    const vendorId = param(req.params.vendorId, 'vendorId');
    const { iban } = BankAccountBody.parse(req.body);
    if (!(await getVendor(db, vendorId))) throw notFound(`vendor ${vendorId}`);
    await addBankAccount(db, vendorId, iban, req.principal!.name, new Date());
    res.status(201).json(await getVendor(db, vendorId));
  });

  router.get('/purchase-orders/:poNumber', requireRole(...READER_ROLES), async (req, res) => {
    const poNumber = param(req.params.poNumber, 'poNumber');
    const po = await getPurchaseOrder(db, poNumber);
    if (!po) throw notFound(`purchase order ${poNumber}`);
    res.json({ ...po, receipts: await listReceipts(db, poNumber) });
  });
  router.post('/purchase-orders', requireRole('ops'), async (req, res) => {
    const po = PurchaseOrderBody.parse(req.body);
    if (!(await getVendor(db, po.vendorId)))
      throw new ApiError(
        400,
        'invalid_request',
        `vendorId: vendor ${po.vendorId} is not in the vendor master`,
        'vendorId',
      );
    if (!(await insertPurchaseOrder(db, po)))
      throw new ApiError(409, 'conflict', `purchase order ${po.poNumber} already exists`, 'poNumber');
    res.status(201).json({ ...(await getPurchaseOrder(db, po.poNumber)), receipts: [] });
  });
  router.post('/purchase-orders/:poNumber/receipts', requireRole('ops'), async (req, res) => {
    const poNumber = param(req.params.poNumber, 'poNumber');
    const body = ReceiptBody.parse(req.body);
    const po = await getPurchaseOrder(db, poNumber);
    if (!po) throw notFound(`purchase order ${poNumber}`);
    if (!po.lines.some((line) => line.lineNo === body.lineNo))
      throw new ApiError(
        400,
        'invalid_request',
        `lineNo: purchase order ${poNumber} has no line ${body.lineNo}`,
        'lineNo',
      );
    await addReceipt(db, { poNumber, ...body });
    res.status(201).json({ ...po, receipts: await listReceipts(db, poNumber) });
  });
  return router;
}
