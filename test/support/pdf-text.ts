/**
 * The text of an uncompressed PDF written by pdfkit: its content streams show text as hex strings
 * (`[<48656c6c6f> 20 <776f726c64>] TJ`), one TJ per run of text. Good enough to read receipts.
 */
export function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const runs = [...source.matchAll(/\[((?:<[0-9a-fA-F]*>\s*-?\d*\.?\d*\s*)+)\]\s*TJ/g)];
  return runs
    .map(([, run]) =>
      [...run.matchAll(/<([0-9a-fA-F]*)>/g)]
        .map(([, hex]) => Buffer.from(hex, 'hex').toString('latin1'))
        .join(''),
    )
    .join('\n');
}
