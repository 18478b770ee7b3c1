import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/**
 * The text of a PDF as a reader's tool sees it, extracted with pdfjs-dist
 * (Mozilla's PDF.js; getTextContent maps the embedded fonts' glyphs back to
 * Unicode through their ToUnicode tables). Pieces are joined with one space,
 * and no-break spaces (Intl's thousands separator in pl and ru) become spaces.
 */
export async function pdfText(pdf: Uint8Array): Promise<{ pages: number; text: string }> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const parts: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    for (const item of content.items) if ("str" in item && item.str.trim() !== "") parts.push(item.str.trim());
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { pages, text: parts.join(" ").replace(/[\u00a0\u202f]/g, " ") };
}
