import PDFDocument from 'pdfkit';

export interface ReceiptContent {
  organizationName: string;
  purchaseId: string;
  packKey: string;
  credits: number;
  bonusCredits: number;
  unitAmount: number;
  currency: string;
  paidAt: Date;
  stripeSessionId: string | null;
  stripePaymentIntentId: string | null;
}

/** Integer minor units as a human amount ("USD 44.99"); every catalog currency has two decimals. */
export function formatMoney(unitAmount: number, currency: string): string {
  return `${currency} ${(unitAmount / 100).toFixed(2)}`;
}

/** A one-page PDF receipt. Streams are left uncompressed: receipts are small and stay greppable. */
export function renderReceipt(receipt: ReceiptContent): Promise<Buffer> {
  const document = new PDFDocument({
    size: 'A4',
    margin: 56,
    compress: false,
    info: { Title: `Receipt ${receipt.purchaseId}` },
  });
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) =>
    document.on('end', () => resolve(Buffer.concat(chunks))),
  );

  document.fontSize(20).text('Receipt', { align: 'left' }).moveDown();
  document.fontSize(11);
  const line = (label: string, value: string) => document.text(`${label}: ${value}`);
  line('Billed to', receipt.organizationName);
  line('Receipt number', receipt.purchaseId);
  line('Date paid', receipt.paidAt.toISOString().slice(0, 10));
  document.moveDown();
  line('Item', `Credit pack "${receipt.packKey}"`);
  line(
    'Credits',
    `${receipt.credits.toLocaleString('en-US')} + ${receipt.bonusCredits.toLocaleString('en-US')} bonus`,
  );
  line('Amount paid', formatMoney(receipt.unitAmount, receipt.currency));
  document.moveDown();
  line('Stripe checkout session', receipt.stripeSessionId ?? '-');
  line('Stripe payment', receipt.stripePaymentIntentId ?? '-');
  document.end();
  return done;
}
