// POST /v1/invoices: accounts payable posts an invoice PDF (multipart/form-data: `file` plus the
// form fields). The file is held in memory up to the size limit, checked, stored and only then
// given to a workflow; anything refused on the way stores nothing.
import { Router, type RequestHandler } from 'express';
import multer, { MulterError } from 'multer';
import { requireRole } from '../auth';
import { ApiError } from '../errors';
import { InvoiceForm } from '../schemas';
import type { CaseService } from '../services/cases';
import { refuseUnstorableText } from '../text-guard';

/** Multer's own refusals as the API's errors: one shape for every 4xx. */
function uploadErrors(maxBytes: number): (err: unknown) => ApiError | null {
  return (err) => {
    if (!(err instanceof MulterError)) return null;
    if (err.code === 'LIMIT_FILE_SIZE')
      return new ApiError(413, 'file_too_large', `file: the limit is ${maxBytes} bytes`, 'file');
    if (err.code === 'LIMIT_UNEXPECTED_FILE')
      return new ApiError(400, 'invalid_request', `${err.field}: only one file, in the field 'file'`, err.field);
    return new ApiError(400, 'invalid_request', `the multipart body was refused: ${err.message}`, err.field);
  };
}

export function invoiceRoutes(cases: CaseService, maxBytes: number): Router {
  const router = Router();
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 4096, parts: 12 },
  }).single('file');
  const toApiError = uploadErrors(maxBytes);
  const receive: RequestHandler = (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      return next(
        new ApiError(415, 'unsupported_media_type', "send the invoice as multipart/form-data with the PDF in 'file'"),
      );
    }
    upload(req, res, (err: unknown) => next(err ? (toApiError(err) ?? err) : undefined));
  };
  router.post('/invoices', requireRole('service'), receive, refuseUnstorableText, async (req, res) => {
    const form = InvoiceForm.parse(req.body ?? {});
    if (!req.file)
      throw new ApiError(400, 'invalid_request', "file: is required (the invoice PDF, field 'file')", 'file');
    const started = await cases.startInvoice(form, new Uint8Array(req.file.buffer));
    res.locals.caseId = started.caseId;
    res.locals.runId = started.runId;
    res
      .status(started.created ? 202 : 200)
      .location(`/v1/cases/${started.caseId}`)
      .json({
        caseId: started.caseId,
        status: started.status,
        ...(started.duplicateOf ? { duplicateSubmission: true } : {}),
      });
  });
  return router;
}
